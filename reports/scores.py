"""A unit's score (综合评分), as city platforms rank their districts and departments: the rates
of reports.figures weighed as the office sets them (reports.models.ScoreWeights).

    score = Σ weight × rate / Σ weight, the return and rework rates counted as (100 − rate)

so a unit that does everything on time, solves and satisfies everything and never returns nor
reworks a problem scores 100. A rate with nothing to divide by (no problem rated, say) leaves
its weight out and the others are scaled up to the whole. Units with fewer problems in the
period than the office's minimum are listed as unranked, after the ranked ones.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .figures import LABELS
from .models import WEIGHT_FIELDS, ScoreWeights

INVERTED = frozenset({"return_rate", "rework_rate"})  # the lower, the better: 100 − rate
ONE_DECIMAL = Decimal("0.1")


def score_settings() -> dict:
    """The office's weights as plain JSON (one query): what a bulletin freezes with its
    ranking. {"weights": {rate: weight}, "min_tickets": n}; the defaults until it sets them."""
    return settings_of(current_weights())


def current_weights() -> ScoreWeights:
    """The office's row, or (until it saves one) the defaults."""
    return ScoreWeights.objects.filter(pk=1).first() or ScoreWeights()


def settings_of(weights: ScoreWeights) -> dict:
    return {
        "weights": {code: getattr(weights, name) for code, name in WEIGHT_FIELDS.items()},
        "min_tickets": weights.min_tickets,
    }


def unit_score(value: Callable[[str], Decimal | None], settings: dict) -> Decimal | None:
    """The score of a unit whose rates `value(code)` gives; None when no weighed rate is
    defined."""
    weighed, total = Decimal(0), 0
    for code, weight in settings["weights"].items():
        rate = value(code)
        if rate is None or not weight:
            continue
        weighed += weight * (100 - Decimal(rate) if code in INVERTED else Decimal(rate))
        total += weight
    if not total:
        return None
    return (weighed / total).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def formula(settings: dict) -> str:
    """综合评分 = 按时受理率×20% + … + (1 − 重办率)×10%: each weight as a share of them all."""
    total = sum(settings["weights"].values()) or 1  # never 0 once saved (ScoreWeights.clean)
    terms = []
    for code, weight in settings["weights"].items():
        if not weight:
            continue
        share = (Decimal(weight) * 100 / total).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        label = str(LABELS[code])
        term = _("(1 − %(rate)s)") % {"rate": label} if code in INVERTED else label
        terms.append(f"{term}×{share.normalize():f}%")
    return _("Score = %(terms)s") % {"terms": " + ".join(terms)}


def ranking_note(settings: dict) -> str:
    """The formula, and who is left unranked: printed under every ranking."""
    return " ".join(
        [
            formula(settings),
            _(
                "A rate with nothing to divide by leaves its weight out, the others scaled up "
                "to the whole; a unit with fewer than %(count)s problems in the period is "
                "listed as unranked, after the ranked ones."
            )
            % {"count": settings["min_tickets"]},
        ]
    )
