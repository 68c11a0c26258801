"""The units' score weights (综合评分): the office sets them, leaders read them.

Whoever reads no reports is refused (403, as on the dashboard); a leader sees the weights and
the formula but no form, and a leader's save is refused (403) without changing anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enterprises.selectors import is_office

from .figures import LABELS
from .forms import ScoreWeightsForm
from .scores import current_weights, ranking_note, settings_of
from .selectors import scope_for
from .services import score_weights_update


@login_required
@require_http_methods(["GET", "POST"])
def score_weights(request: HttpRequest) -> HttpResponse:
    """Queries: the session, the user, the official (the scope and the office check share it),
    the weights (1), then the base template's context processors."""
    scope_for(request.user)
    may_edit = is_office(request.user)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    current = current_weights()
    saved = settings_of(current)  # before the form writes its input into `current`
    rows = [(str(LABELS[code]), weight) for code, weight in saved["weights"].items()]
    rows.append((_("Fewest problems to be ranked"), saved["min_tickets"]))
    form = ScoreWeightsForm(request.POST or None, instance=current) if may_edit else None
    if form is not None and form.is_bound and form.is_valid():
        score_weights_update(weights=form.instance)
        messages.success(request, _("The score weights are saved."))
        return redirect("reports:score_weights")
    return render(
        request,
        "reports/score_weights.html",
        {"form": form, "note": ranking_note(saved), "rows": rows},
    )
