from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("supervision/", views.supervision, name="supervision"),
    path("new/", views.create, name="create"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/view/", views.attachment_view, name="attachment_view"),
    path("<ticket:number>/", views.detail, name="detail"),
    path("<ticket:number>/<str:action>/", views.act, name="act"),
]
