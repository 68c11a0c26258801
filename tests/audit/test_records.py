"""An audit record is written once and never changed or deleted, by the model or in the admin;
the office reads the records, enterprise users, officials and leaders cannot; no page of them
shows a secret; the list costs the same queries however many records there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditRecord
from audit.services import audit_record
from audit.state import mask
from notifications.endpoints import webhook_create, webhook_secret_rotate
from notifications.models import GroupRobot
from tests.audit.pages import posted
from workdays.models import CalendarDay

User = get_user_model()
ROBOT_SECRET = "SECrobot-secret-9f3Kx2LbQw"
ROBOT_TOKEN = "robot-access-token-7Yt2Qw9"


def a_record(world) -> AuditRecord:
    day = CalendarDay(date=dt.date(2027, 10, 9), is_working=True, note="调休")
    with transaction.atomic():
        day.save()
        return audit_record(actor=world.office, action=Action.CREATED, obj=day)


def test_a_record_cannot_be_changed_or_deleted_through_the_model(world):
    record = a_record(world)
    written = record.object_repr
    record.object_repr = "改"
    for attempt in (
        record.save,
        record.delete,
        lambda: AuditRecord.objects.filter(pk=record.pk).update(object_repr="改"),
        lambda: AuditRecord.objects.filter(pk=record.pk).delete(),
        lambda: AuditRecord.objects.bulk_update([record], ["object_repr"]),
    ):
        with pytest.raises(TypeError):
            attempt()
    assert AuditRecord.objects.get(pk=record.pk).object_repr == written


def test_a_record_cannot_be_added_changed_or_deleted_in_the_admin(client, world, office_in_admin):
    record = a_record(world)
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    change = reverse("admin:audit_auditrecord_change", args=[record.pk])
    for user in (office_in_admin, root):
        client.force_login(user)
        page = client.get(change)
        assert page.status_code == 200 and not page.context["has_change_permission"]
        assert client.post(change, {"object_repr": "改", "before": "{}"}).status_code == 403
        assert client.get(reverse("admin:audit_auditrecord_add")).status_code == 403
        delete = reverse("admin:audit_auditrecord_delete", args=[record.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        listed = client.get(reverse("admin:audit_auditrecord_changelist"))
        assert "delete_selected" not in listed.content.decode()
    assert AuditRecord.objects.get(pk=record.pk).object_repr == record.object_repr


@pytest.mark.parametrize(
    "persona", ["enterprise_user", "official", "coordinator", "leader", "district_leader"]
)
def test_only_the_office_reads_the_records(client, world, office_in_admin, persona):
    a_record(world)
    url = reverse("admin:audit_auditrecord_changelist")
    client.force_login(getattr(world, persona))
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"].startswith(reverse("admin:login"))
    client.force_login(office_in_admin)
    assert client.get(url).status_code == 200


def test_the_office_filters_the_records_by_actor_object_type_action_and_date(
    client, world, office_in_admin
):
    mine = a_record(world)
    with transaction.atomic():
        webhook_create(name="ERP", url="http://127.0.0.1:9/hook")
    client.force_login(office_in_admin)
    url = reverse("admin:audit_auditrecord_changelist")
    today = timezone.localdate()

    def listed(**query) -> list[AuditRecord]:
        response = client.get(url, query)
        assert response.status_code == 200
        return list(response.context["cl"].result_list)

    everything = listed()
    assert mine in everything and len(everything) >= 3  # the day, the webhook, the office's role
    assert listed(actor__id__exact=world.office.pk) == [mine]
    assert listed(type=mine.content_type_id) == [mine]
    assert [r.object_repr for r in listed(action__exact="created")] == ["ERP", mine.object_repr]
    month = today.replace(day=1)
    since = {"created_at__gte": f"{month:%Y-%m-%d} 00:00:00+08:00"}
    assert mine in listed(**since)  # "this month"
    assert listed(created_at__lt=f"{month:%Y-%m-%d} 00:00:00+08:00") == []
    assert listed(q="ERP")[0].object_repr == "ERP"
    page = client.get(url).content.decode()
    assert "系统" in page  # the webhook was made by no one signed in: the system


def test_no_record_and_no_page_of_records_shows_a_secret(client, world):
    """Robots and webhooks made, changed and re-keyed in the admin and by the services."""
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    client.force_login(root)
    url = f"http://127.0.0.1:9/robot/send?access_token={ROBOT_TOKEN}"
    added = client.post(
        reverse("admin:notifications_grouprobot_add"),
        {
            "name": "南关区群",
            "kind": "dingtalk",
            "url": url,
            "secret": ROBOT_SECRET,
            "district": world.district.pk,
            "is_active": "on",
            "_save": "Save",
        },
    )
    assert added.status_code == 302
    robot = GroupRobot.objects.get()
    change = reverse("admin:notifications_grouprobot_change", args=[robot.pk])
    data = posted(client.get(change).content.decode())
    data.update({"secret": [ROBOT_SECRET + "2"], "url": [url + "2"]})
    assert client.post(change, {**data, "_save": "Save"}).status_code == 302
    with transaction.atomic():
        endpoint, first = webhook_create(name="ERP", url="http://127.0.0.1:9/hook", actor=root)
        second = webhook_secret_rotate(endpoint=endpoint, actor=root)

    records = list(AuditRecord.objects.all())
    rekeyed = [r for r in records if r.action == Action.REKEYED]
    assert len(rekeyed) == 2 and set(rekeyed[0].after) | set(rekeyed[1].after) >= {"url", "secret"}
    secrets = [ROBOT_SECRET, ROBOT_TOKEN, first, second]
    pages = [client.get(reverse("admin:audit_auditrecord_changelist")).content.decode()]
    for record in records:
        text = f"{record.object_repr} {record.before} {record.after}"
        assert not [s for s in secrets if s in text], record
        pages.append(
            client.get(reverse("admin:audit_auditrecord_change", args=[record.pk])).content.decode()
        )
    assert not [s for s in secrets for page in pages if s in page]


def test_the_list_makes_the_same_queries_however_many_records(
    client, world, office_in_admin, django_assert_num_queries
):
    client.force_login(office_in_admin)
    url = reverse("admin:audit_auditrecord_changelist")
    for n in range(5):
        a_record_for(world, n)
    client.get(url)  # content types and permissions cached as in a running process
    # 1 the user, 2-3 its own and its groups' permissions, 4 the object types that have
    # records (a filter), 5 the users that made them (a filter), 6-7 the count of records
    # filtered and in all, 8 whether campaign settings exist (the admin's side bar may offer to
    # add them), 9 the page of records with their actors and object types, 10-11 the top bar's
    # official and enterprise user (the banner's calendar is kept since the first request)
    with django_assert_num_queries(11) as five:
        client.get(url)
    queries = len(five.captured_queries)  # the next request's start empties the query log
    for n in range(5, 40):
        a_record_for(world, n)
    # The records are of calendar days, and a saved day makes the process forget the calendar
    # it kept (ops.masterdata): one request reads it again, as after any change of it.
    client.get(url)
    with django_assert_num_queries(queries):
        page = client.get(url)
    assert len(page.context["cl"].result_list) == AuditRecord.objects.count() > 40


def a_record_for(world, n: int) -> AuditRecord:
    day = CalendarDay(date=dt.date(2027, 1, 1) + dt.timedelta(days=n), is_working=False)
    with transaction.atomic():
        day.save()
        return audit_record(actor=world.office, action=Action.CREATED, obj=day)


@pytest.mark.django_db(transaction=True)
def test_a_record_is_written_in_the_transaction_of_its_change_or_not_at_all(world):
    day = CalendarDay.objects.create(date=dt.date(2027, 10, 9), is_working=True)
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action=Action.CREATED, obj=day)  # outside any transaction
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action=Action.DELETED, obj=day, before={"note": ""})
        raise ValueError("the change fails after its record was written: both roll back")
    assert not AuditRecord.objects.exists()


def test_a_masked_secret_shows_its_last_characters_and_an_address_only_its_host():
    url = "https://robot:p4ss@oapi.dingtalk.com/robot/send?access_token=6f1c2d3e4f5a6b7c"
    assert mask(url) == "https://oapi.dingtalk.com/••••••••6b7c"
    assert mask("SEC0123456789abcdef") == "••••••••cdef"
    assert mask("short") == "••••••••" and mask("") == ""
