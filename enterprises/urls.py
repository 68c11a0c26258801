from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("covered/", views.covered, name="covered"),
    path("dispatches/", views.dispatches, name="dispatches"),
    path("dispatches/completion/", views.dispatch_completion, name="dispatch_completion"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="dispatch"),
    path("<int:pk>/dispatch/", views.dispatch_create, name="dispatch_create"),
    path("problems/<int:pk>/file/", views.problem_file, name="problem_file"),
]
