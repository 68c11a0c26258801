from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("covered/", views.covered, name="covered"),
    path("pick/<slug:picker>/", views.pick, name="pick"),
]
