from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import enterprises_covered_by, official_of


@login_required
def covered(request: HttpRequest) -> HttpResponse:
    """The enterprises I cover (包保企业), with their open tickets."""
    official = official_of(request.user)
    if official is None:
        raise PermissionDenied
    return render(
        request,
        "enterprises/covered.html",
        {"enterprises": enterprises_covered_by(official), "official": official},
    )
