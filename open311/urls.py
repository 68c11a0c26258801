from django.urls import path, re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)"

urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+){FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}$", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<number>[-\w]+){FMT}$", views.service_request, name="request"),
    re_path(rf"^tokens/(?P<token>[-\w]+){FMT}$", views.token, name="token"),
    path("<path:path>", views.not_found),
]
