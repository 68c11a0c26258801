from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("candidates/<int:candidate>/confirm/", views.create, name="confirm"),
    path("candidates/<int:candidate>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:pk>/", views.detail, name="detail"),
    path("asked/<int:pk>/", views.outreach, name="outreach"),
    path("<int:pk>/members/<ticket:number>/confirm/", views.member_confirm, name="member-confirm"),
]
