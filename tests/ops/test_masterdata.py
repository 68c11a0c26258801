"""Master data kept in the process (ops.masterdata): filing reads the categories, the calendar,
the robots and the webhooks from memory, and still sees every change the office makes."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.models import Category
from enterprises.selectors import active_categories
from notifications.models import Delivery, GroupRobot
from ops import masterdata
from tickets.services import ticket_submit
from workdays.calendar import WorkCalendar
from workdays.models import CalendarDay


def _file(client: APIClient, category: str):
    return client.post(
        "/api/v1/tickets/",
        {"category": category, "title": "新增生产线需要扩容变压器", "description": "请协调扩容。"},
        format="json",
    )


@pytest.fixture
def enterprise_api(world) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.enterprise_user).key}"
    )
    return client


def test_a_category_the_office_deactivates_is_refused_on_the_next_filing(world, enterprise_api):
    assert _file(enterprise_api, world.category.code).status_code == 201

    world.category.is_active = False
    world.category.save()

    answer = _file(enterprise_api, world.category.code)
    assert answer.status_code == 400
    assert "category" in answer.json()


def test_a_change_made_by_another_process_is_seen_once_it_sets_a_new_generation(world, monkeypatch):
    assert world.category.code in active_categories().by_code
    # Another process deactivates the category: the row changes here, its signal there.
    Category.objects.filter(pk=world.category.pk).update(is_active=False)
    monkeypatch.setattr(masterdata, "CHECK_EVERY", 0.0)
    assert world.category.code in active_categories().by_code  # kept: not read again

    cache.set(masterdata.KEY, "the other process's generation")

    assert world.category.code not in active_categories().by_code


def test_without_the_cache_every_read_goes_to_the_database(world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    masterdata.forget()
    assert world.category.code in active_categories().by_code

    Category.objects.filter(pk=world.category.pk).update(is_active=False)

    assert world.category.code not in active_categories().by_code


def _filed_on_monday_morning(world):
    return ticket_submit(
        enterprise=world.enterprise,
        category=world.category,
        title="周一上午提交",
        description="受理期限",
        submitted_by=world.office,
        at=timezone.make_aware(dt.datetime(2026, 11, 23, 10)),
    )


def test_a_day_the_office_makes_a_holiday_moves_the_next_filings_deadline(world):
    first = _filed_on_monday_morning(world)
    CalendarDay.objects.create(date=timezone.localdate(first.acceptance_due), is_working=False)

    second = _filed_on_monday_morning(world)

    assert second.acceptance_due == WorkCalendar.load().add_working_days(
        first.submitted_at, world.category.acceptance_days
    )
    assert second.acceptance_due > first.acceptance_due


def test_a_group_robot_the_office_adds_hears_of_the_next_filing(world, enterprise_api):
    assert _file(enterprise_api, world.category.code).status_code == 201
    GroupRobot.objects.create(
        name="区营商办群",
        kind=GroupRobot.Kind.WECOM,
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=district",
        district=world.enterprise.district,
    )

    assert _file(enterprise_api, world.category.code).status_code == 201

    assert Delivery.objects.filter(channel=Delivery.Channel.WECOM).count() == 1
