from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("notice/", views.notice_import, name="notice"),
]
