"""Units' scores (综合评分, issue 12): the return and rework rates behind them, the office's
weights, the order they give, the unranked units, and the formula printed under the ranking."""

import json
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.selectors import ReportScope
from reports.aggregates import by_rank, rank, totals
from reports.dimensions import Unit
from reports.figures import Figures, Group
from reports.models import ScoreWeights
from reports.scores import formula, score_settings
from reports.services import bulletin_publish
from tickets.models import Action, Rating

from .conftest import WEEK, at

CITY = ReportScope(None)
QUERY = {"start": "2025-03-10", "end": "2025-03-16"}


@pytest.fixture
def worked_week(world, desk):
    """Four problems of the week, all solved through the department: one returned once before
    it was taken back, one reopened by its enterprise, one rated unsatisfied, one fine."""
    returned = desk.file(at("2025-03-10"))
    desk.accept(returned, at("2025-03-10", 11))
    desk.transfer(returned, at("2025-03-10", 12))
    desk.progress(returned, at("2025-03-10", 13))
    desk.give_back(returned, at("2025-03-10", 14))
    desk.transfer(returned, at("2025-03-10", 15))
    desk.progress(returned, at("2025-03-10", 16))
    desk.resolve(returned, at("2025-03-11"))
    reopened = desk.solved(at("2025-03-11"))
    desk.act(reopened, Action.REOPEN, at("2025-03-12"), actor="enterprise_user", note="仍未通电")
    unhappy = desk.solved(at("2025-03-12"))
    desk.rate(unhappy, at("2025-03-13"), rating=Rating.UNSATISFIED)
    desk.solved(at("2025-03-13"))
    return returned, reopened, unhappy


def test_return_and_rework_rates_count_by_their_definitions(world, worked_week):
    figures = totals(period=WEEK, scope=CITY)
    # 退单率 = returned / (accepted + returned) = 1 / (4 + 1)
    assert (figures["returned"], figures.count("received")) == (1, 5)
    assert figures["return_rate"] == 20
    # 重办率 = reworked / resolved at least once: the reopened and the unhappy one, of four
    assert (figures["reworked"], figures["resolved_once"], figures["resolved"]) == (2, 4, 2)
    assert figures["rework_rate"] == 50


def test_the_rates_are_the_same_live_as_from_the_rollup(world, worked_week):
    from reports.aggregates import breakdown

    (department,) = [
        g
        for g in breakdown(period=WEEK, scope=CITY, dimension="department")
        if g.key is not None and g.figures["submitted"]
    ]
    assert department.figures["rework_rate"] == totals(period=WEEK, scope=CITY)["rework_rate"]
    assert department.figures["return_rate"] == 20


def test_the_rates_are_in_the_command_the_api_and_the_workbook(client, world, worked_week):
    out = StringIO()
    call_command(
        "report", "--from", "2025-03-10", "--to", "2025-03-16", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue())["totals"]["return_rate"] == 20.0
    table = StringIO()
    call_command("report", "--from", "2025-03-10", "--to", "2025-03-16", stdout=table)
    assert "退单率" in table.getvalue() and "重办率" in table.getvalue()
    client.force_login(world.office)
    response = client.get(reverse("api:report-summary"), {"from": "2025-03-10", "to": "2025-03-16"})
    assert response.json()["totals"]["rework_rate"] == 50.0
    workbook = load_workbook(BytesIO(client.get(reverse("reports:export"), QUERY).content))
    cells = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "退单率" in cells and "重办率" in cells


def group(key, *, submitted=10, accepted=10, solved=10, returned=0, reworked=0, rated=0):
    counts = {
        "submitted": submitted,
        "accepted": accepted,
        "accepted_on_time": accepted,
        "solved": solved,
        "resolved": solved,
        "resolved_on_time": solved,
        "resolved_once": solved,
        "returned": returned,
        "reworked": reworked,
        "rated": rated,
        "satisfied": rated,
    }
    return Group(Unit(key, key, (key,)), Figures(counts))


def test_units_are_ranked_by_their_weighted_score():
    settings = {
        "weights": {
            "on_time_acceptance_rate": 20,
            "resolution_rate": 30,
            "on_time_completion_rate": 20,
            "satisfaction_rate": 0,
            "return_rate": 10,
            "rework_rate": 20,
        },
        "min_tickets": 5,
    }
    groups = rank(
        [
            group("returns", returned=10),  # 100 but 50% returned: 95
            group("reworks", reworked=5),  # 100 but 50% reworked: 90
            group("perfect"),  # 100
            group("slow", solved=8),  # resolution 80: 94
        ],
        settings,
    )
    assert [(g.key, g.score, g.rank) for g in by_rank(groups)] == [
        ("perfect", 100, 1),
        ("returns", 95, 2),
        ("slow", 94, 3),
        ("reworks", 90, 4),
    ]


def test_a_unit_below_the_minimum_is_listed_unranked_after_the_ranked_ones():
    settings = {"weights": {"resolution_rate": 1}, "min_tickets": 8}
    groups = rank([group("lucky", submitted=7), group("busy", solved=5), group(None)], settings)
    assert [(g.key, g.rank) for g in by_rank(groups)] == [
        ("busy", 1),
        ("lucky", None),
        (None, None),
    ]


def test_equal_scores_share_a_place():
    settings = {"weights": {"resolution_rate": 1}, "min_tickets": 5}
    groups = rank([group("a"), group("b"), group("c", solved=5)], settings)
    assert [g.rank for g in groups] == [1, 1, 3]


def test_the_formula_gives_each_weight_as_a_share():
    settings = {
        "weights": {"on_time_acceptance_rate": 1, "resolution_rate": 2, "rework_rate": 1},
        "min_tickets": 5,
    }
    assert formula(settings) == "综合评分 = 即时受理率×25% + 问题解决率×50% + （1 − 重办率）×25%"


def test_the_formula_is_printed_under_the_dashboards_and_the_bulletins_ranking(
    client, world, worked_week
):
    ScoreWeights(min_tickets=3).save()
    client.force_login(world.office)
    page = client.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "综合评分 = 即时受理率×20% + 问题解决率×25%" in page
    bulletin_publish(week=WEEK, now=at("2025-03-17", 8))
    page = client.get(reverse("reports:bulletin", args=["2025-W11"])).content.decode()
    assert "（1 − 重办率）×10%" in page
    assert "少于3件" in page


WEIGHTS = {
    "on_time_acceptance": 10,
    "resolution": 40,
    "on_time_completion": 20,
    "satisfaction": 10,
    "returns": 10,
    "rework": 10,
    "min_tickets": 8,
}


def test_the_office_sets_the_weights_and_the_ranking_follows_them(client, world):
    client.force_login(world.office)
    response = client.post(reverse("reports:score_weights"), WEIGHTS, follow=True)
    assert "综合评分权重已保存" in response.content.decode()
    assert score_settings()["min_tickets"] == 8
    assert "问题解决率×40%" in response.content.decode()


@pytest.mark.parametrize(
    "change, error",
    [
        (dict.fromkeys(list(WEIGHTS)[:-1], 0), "请至少为一项指标设置大于 0 的权重"),
        ({"resolution": 101}, "is-invalid"),
        ({"returns": -1}, "is-invalid"),
        ({"min_tickets": 0}, "is-invalid"),
    ],
)
def test_wrong_weights_are_refused_and_nothing_changes(client, world, change, error):
    client.force_login(world.office)
    response = client.post(reverse("reports:score_weights"), WEIGHTS | change)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ScoreWeights.objects.exists()
    assert score_settings()["min_tickets"] == 5  # the defaults stand


def test_a_leader_reads_the_weights_without_a_form(client, world):
    client.force_login(world.district_leader)
    page = client.get(reverse("reports:score_weights")).content.decode()
    assert 'data-testid="weights"' in page and 'data-testid="weights-form"' not in page
    assert "综合评分 = 即时受理率×20%" in page


def test_the_weights_page_reads_one_row(client, world, django_assert_num_queries):
    client.force_login(world.office)
    client.get(reverse("reports:score_weights"))
    # 1 user, 2 official (the report scope; the office check reuses it), 3 the weights; then
    # the base template's context processors: 4 membership, 5 the bell (the calendar is kept
    # since the first request).
    with django_assert_num_queries(5):
        assert client.get(reverse("reports:score_weights")).status_code == 200
