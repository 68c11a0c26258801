from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .pickers import MAX_QUERY_LENGTH, PICKERS, search_query, user_may_pick
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


@login_required
@require_GET
def pick(request: HttpRequest, picker: str) -> JsonResponse:
    """The search behind a picker (enterprises.pickers): at most MAX_RESULTS of the rows the
    user may pick that match `q`, as {"results": [{"value", "text"}]}. A picker the user has
    no use for answers 404, as one that does not exist."""
    if picker not in PICKERS or not user_may_pick(request.user, picker):
        raise Http404
    query = search_query(request.GET.get("q"))
    if query is None:
        message = _("Search with at most %(limit)d ordinary characters.") % {
            "limit": MAX_QUERY_LENGTH
        }
        return JsonResponse({"results": [], "detail": message}, status=400)
    return JsonResponse({"results": PICKERS[picker].results(request.user, query)})
