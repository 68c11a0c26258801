"""Site-wide views: error pages, and the answer to a rate-limited request (the health checks
are ops.health's)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def ratelimited(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "429.html", status=429)
