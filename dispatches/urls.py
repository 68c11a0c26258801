"""The dispatch pages keep the addresses they had under /enterprises/ (config.urls)."""

from django.urls import path

from . import views

app_name = "dispatches"

urlpatterns = [
    path("dispatches/", views.dispatches, name="list"),
    path("dispatches/completion/", views.dispatch_completion, name="completion"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="detail"),
    path("<int:pk>/dispatch/", views.dispatch_create, name="create"),
    path("problems/<int:pk>/file/", views.problem_file, name="problem_file"),
]
