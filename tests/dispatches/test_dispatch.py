"""Dispatch cadence: weekly for tier a, every ten days for tier b, monthly for tier c."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatches.cadence import completion_by_district, dispatch_states, due_dates
from dispatches.models import Dispatch
from dispatches.services import check_dispatches
from enterprises.models import Enterprise
from notifications.models import Kind, Notification
from tickets.models import Channel, Ticket


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d(day), dt.time(hour)))


def test_due_dates_follow_the_revenue_tier():
    assert due_dates("a", d("2026-11-01"), d("2026-11-20")) == [
        d("2026-11-02"),
        d("2026-11-09"),
        d("2026-11-16"),
    ]
    assert due_dates("b", d("2026-11-01"), d("2026-12-05")) == [
        d("2026-11-01"),
        d("2026-11-11"),
        d("2026-11-21"),
        d("2026-12-01"),
    ]
    assert due_dates("c", d("2026-10-15"), d("2026-12-31")) == [d("2026-11-01"), d("2026-12-01")]
    assert due_dates("d", d("2026-01-01"), d("2026-12-31")) == []


@pytest.fixture
def tier_b(world):
    world.enterprise.revenue_tier = Enterprise.RevenueTier.B
    world.enterprise.save()
    world.other_enterprise.revenue_tier = Enterprise.RevenueTier.D  # no cadence
    world.other_enterprise.save()
    return world.enterprise


def state_of(enterprise, now):
    [state] = dispatch_states(Enterprise.objects.filter(pk=enterprise.pk), now=now)
    return state


def test_the_next_dispatch_is_due_and_then_overdue(tier_b):
    # Saturday 21 November is a due date; its deadline is the next working day, Monday 23rd.
    state = state_of(tier_b, at("2026-11-22"))
    assert (state.due, state.overdue) == (d("2026-11-21"), False)
    assert state_of(tier_b, at("2026-11-24")).overdue


def test_recording_the_dispatch_moves_to_the_next_due_date(world, tier_b, client):
    client.force_login(world.official)
    response = client.post(
        reverse("dispatches:create", args=[tier_b.pk]),
        {
            "visited_on": "2026-11-20",
            "output_value": "1280.50",
            "sales": "1190",
            "notes": "生产正常",
            "problems": "二期厂房用电负荷不足\n\n技术工人缺口30人",
        },
    )
    assert response.status_code == 302
    dispatch = Dispatch.objects.get()
    assert dispatch.official == world.official.official
    assert [p.description for p in dispatch.problems.all()] == [
        "二期厂房用电负荷不足",
        "技术工人缺口30人",
    ]
    assert state_of(tier_b, timezone.now()).due > dispatch.scheduled_for


def test_a_problem_found_is_one_click_away_from_a_ticket_filed_by_visit(world, tier_b, client):
    client.force_login(world.official)
    client.post(
        reverse("dispatches:create", args=[tier_b.pk]),
        {"visited_on": "2026-11-20", "problems": "二期厂房用电负荷不足"},
    )
    problem = Dispatch.objects.get().problems.get()
    response = client.post(
        reverse("dispatches:problem_file", args=[problem.pk]), {"category": world.category.pk}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert (ticket.channel, ticket.enterprise, ticket.submitted_by) == (
        Channel.VISIT,
        tier_b,
        world.official,
    )
    assert ticket.title == "二期厂房用电负荷不足"
    again = client.post(
        reverse("dispatches:problem_file", args=[problem.pk]), {"category": world.category.pk}
    )
    assert again.status_code == 302
    assert Ticket.objects.count() == 1


def test_only_covering_officials_record_dispatches(world, tier_b, client):
    client.force_login(world.unrelated_official)
    response = client.get(reverse("dispatches:create", args=[tier_b.pk]))
    assert response.status_code == 404
    client.force_login(world.enterprise_user)
    assert client.get(reverse("dispatches:list")).status_code == 403


def test_a_visit_in_the_future_is_refused(world, tier_b, client):
    client.force_login(world.official)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("dispatches:create", args=[tier_b.pk]),
        {"visited_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert not Dispatch.objects.exists()


def test_an_overdue_dispatch_escalates_once_per_step(world, tier_b):
    Notification.objects.all().delete()
    # Due 11 November (Wednesday); deadline the end of that day.
    runs = [("2026-11-12", 1), ("2026-11-12", 0), ("2026-11-13", 2), ("2026-11-16", 3)]
    for day, step in runs:
        done = check_dispatches(now=at(day))
        steps = {k: v for k, v in done.items() if k.startswith("step_")}
        assert steps == ({f"step_{step}": 1} if step else {}), (day, done)
    assert (
        Notification.objects.filter(recipient=world.official, kind=Kind.DISPATCH_OVERDUE).count()
        == 1
    )
    assert (
        Notification.objects.filter(recipient=world.leader, kind=Kind.DISPATCH_OVERDUE).count() == 1
    )
    assert (
        Notification.objects.filter(recipient=world.office, kind=Kind.DISPATCH_OVERDUE).count() == 1
    )


def test_leaders_see_dispatch_completion_per_district(world, tier_b, client):
    Dispatch.objects.create(
        enterprise=tier_b,
        official=world.official.official,
        scheduled_for=d("2026-11-01"),
        visited_on=d("2026-11-02"),
    )
    [row, *_] = completion_by_district(
        districts=[world.district],
        start=d("2026-11-01"),
        end=d("2026-11-20"),
        enterprises=Enterprise.objects.all(),
    )
    assert (row.expected, row.done, row.missed, str(row.rate)) == (2, 1, 1, "50.0")
    client.force_login(world.leader)
    page = client.get(reverse("dispatches:completion"), {"from": "2026-11-01", "to": "2026-11-20"})
    assert "50.0%" in page.content.decode()
    client.force_login(world.official)
    assert client.get(reverse("dispatches:completion")).status_code == 403


def test_dispatch_records_are_not_found_for_the_enterprise_itself(world, tier_b, client):
    dispatch = Dispatch.objects.create(
        enterprise=tier_b,
        official=world.official.official,
        scheduled_for=d("2026-11-11"),
        visited_on=d("2026-11-11"),
        notes="内部评估：经营压力较大",
    )
    client.force_login(world.enterprise_user)
    assert client.get(reverse("dispatches:detail", args=[dispatch.pk])).status_code == 404
    client.force_login(world.official)
    assert (
        "内部评估" in client.get(reverse("dispatches:detail", args=[dispatch.pk])).content.decode()
    )


def test_dispatch_notes_are_bounded_like_a_tickets(world, tier_b, client):
    client.force_login(world.official)
    response = client.post(
        reverse("dispatches:create", args=[tier_b.pk]),
        {"visited_on": timezone.localdate().isoformat(), "notes": "走访" * 2501},
    )
    assert response.status_code == 200
    assert "请控制在 5000 字以内" in response.content.decode()
    assert not Dispatch.objects.exists()


@pytest.fixture
def campaign_started_last_week(db):
    from reports.models import CampaignSettings

    start = timezone.localdate() - dt.timedelta(days=7)
    CampaignSettings.objects.create(campaign_start=start)
    return start


def test_a_visit_before_the_campaign_started_is_refused_with_its_date(
    world, tier_b, client, campaign_started_last_week
):
    start = campaign_started_last_week
    client.force_login(world.official)
    url = reverse("dispatches:create", args=[tier_b.pk])
    form = client.get(url).content.decode()
    assert f'min="{start.isoformat()}"' in form and f'max="{timezone.localdate()}"' in form
    response = client.post(url, {"visited_on": (start - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200
    assert f"走访日期不能早于活动开始日（{start.isoformat()}）" in response.content.decode()
    assert not Dispatch.objects.exists()
    assert client.post(url, {"visited_on": start.isoformat()}).status_code == 302
    assert Dispatch.objects.get().visited_on == start


def test_no_door_records_a_visit_before_the_campaign_or_in_the_future(
    world, tier_b, campaign_started_last_week
):
    from django.core.exceptions import ValidationError

    from dispatches.services import dispatch_record

    for day in (
        campaign_started_last_week - dt.timedelta(days=1),
        timezone.localdate() + dt.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as refused:
            dispatch_record(
                official=world.official.official,
                enterprise=tier_b,
                scheduled_for=timezone.localdate(),
                visited_on=day,
            )
        assert "visited_on" in refused.value.message_dict
    assert not Dispatch.objects.exists()
