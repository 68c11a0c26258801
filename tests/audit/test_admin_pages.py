"""Every admin page of the project records what it changes: the system administrator opens the
change page of one object of each audited model, changes one field as a person would (the form
posted back as the browser shows it), and exactly one record says who changed that field, from
what to what. Adding, deleting, inline rows, the list's editable columns and "delete selected"
each write theirs; a form with errors and a refused page write none."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from audit.mixins import AuditedAdmin
from audit.models import Action, AuditRecord
from audit.state import mask
from enterprises.models import Coverage, District
from integrations.services import integration_create, integration_key_issue
from notifications.endpoints import webhook_create
from notifications.models import GroupRobot, Preference
from reports.models import CampaignSettings
from tests.audit.pages import posted
from workdays.models import CalendarDay

User = get_user_model()

# Registered in the admin but not audited, and why.
NOT_AUDITED = {
    "dispatches.dispatch": "a visit is a record of its own (who visited, when, what was found)",
    "notifications.notification": "a message in the bell, written with the event that caused it",
    "notifications.delivery": "a message in the outbox; its page changes no field",
}


def robot(world) -> GroupRobot:
    return GroupRobot.objects.create(
        name="南关区群",
        kind=GroupRobot.Kind.DINGTALK,
        url="http://127.0.0.1:9/robot/send?access_token=robot-token-0123456789",
        secret="SECrobot-secret-0123456789",
        district=world.district,
    )


# model → (the object, the field changed, the value posted, the value the record keeps after)
CHANGES = {
    "enterprises.district": (lambda w: w.district, "name", "南关新区", "南关新区"),
    "enterprises.department": (lambda w: w.department, "short_name", "工信", "工信"),
    "enterprises.industrychain": (
        lambda w: w.enterprise.industry_chain,
        "name",
        "新能源汽车",
        "新能源汽车",
    ),
    "enterprises.category": (lambda w: w.category, "completion_days", "9", 9),
    "enterprises.enterprise": (
        lambda w: w.enterprise,
        "district",
        lambda w: str(w.other_district.pk),
        lambda w: {"id": w.other_district.pk, "label": "宽城区"},
    ),
    "enterprises.official": (lambda w: w.official.official, "title", "副处长", "副处长"),
    "enterprises.coverage": (
        lambda w: Coverage.objects.get(enterprise=w.enterprise, role=Coverage.Role.PRIMARY),
        "role",
        "liaison",
        "liaison",
    ),
    "enterprises.enterprisemember": (
        lambda w: w.enterprise_user.enterprise_member,
        "phone",
        "13800000000",
        "13800000000",
    ),
    "auth.user": (lambda w: w.enterprise_user, "first_name", "静", "静"),
    "auth.group": (
        lambda w: Group.objects.create(name="观察员"),
        "permissions",
        lambda w: str(Permission.objects.get(codename="view_enterprise").pk),
        lambda w: [str(Permission.objects.get(codename="view_enterprise"))],
    ),
    "authtoken.tokenproxy": (
        lambda w: Token.objects.create(user=w.enterprise_user),
        "user",
        lambda w: str(w.other_enterprise_user.pk),
        lambda w: {"id": w.other_enterprise_user.pk, "label": "enterprise2"},
    ),
    "workdays.calendarday": (
        lambda w: CalendarDay.objects.create(date=dt.date(2027, 10, 9), is_working=True),
        "note",
        "国庆调休",
        "国庆调休",
    ),
    "reports.campaignsettings": (
        lambda w: CampaignSettings.objects.create(campaign_start=dt.date(2026, 1, 1)),
        "campaign_start",
        "2026-03-01",
        "2026-03-01",
    ),
    "integrations.integration": (
        lambda w: integration_create(name="hotline"),
        "description",
        "12345 热线",
        "12345 热线",
    ),
    "integrations.integrationkey": (
        lambda w: integration_key_issue(integration=integration_create(name="hotline"))[0],
        "label",
        "主密钥",
        "主密钥",
    ),
    "notifications.preference": (
        lambda w: Preference.objects.create(user=w.enterprise_user),
        "language",
        "en",
        "en",
    ),
    "notifications.grouprobot": (robot, "name", "南关区工作群", "南关区工作群"),
    "notifications.webhookendpoint": (
        lambda w: webhook_create(name="ERP", url="http://127.0.0.1:9/hook")[0],
        "name",
        "ERP 系统",
        "ERP 系统",
    ),
}
# Pages that change nothing but delete: django-axes' sign-in records.
DELETIONS = {
    "axes.accessattempt": lambda w: AccessAttempt.objects.create(
        username="enterprise", ip_address="192.0.2.1", failures_since_start=5
    ),
    "axes.accesslog": lambda w: AccessLog.objects.create(
        username="enterprise", ip_address="192.0.2.1"
    ),
    "axes.accessfailurelog": lambda w: AccessFailureLog.objects.create(
        username="enterprise", ip_address="192.0.2.1", locked_out=True
    ),
}


@pytest.fixture
def root(client, world):
    user = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    client.force_login(user)
    return user


def records_of(obj) -> list[AuditRecord]:
    content_type = ContentType.objects.get_for_model(obj)
    object_id = mask(obj.pk) if isinstance(obj, Token) else str(obj.pk)  # a token is its key
    return list(AuditRecord.objects.filter(content_type=content_type, object_id=object_id))


def value(given, world):
    return given(world) if callable(given) else given


def url_of(obj, view: str) -> str:
    opts = obj._meta
    pk = obj.user_id if isinstance(obj, Token) else obj.pk  # the token admin goes by user
    label = "tokenproxy" if isinstance(obj, Token) else opts.model_name
    return reverse(f"admin:{opts.app_label}_{label}_{view}", args=[pk])


def save(client, url: str, **changes) -> dict:
    page = client.get(url)
    assert page.status_code == 200, url
    data = posted(page.content.decode())
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context and response.context.get("errors")
    return data


def test_every_admin_page_of_the_project_records_its_changes_or_changes_nothing(root):
    request = RequestFactory().get("/admin/")
    request.user = root
    audited = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if label in NOT_AUDITED:
            continue
        if isinstance(model_admin, AuditedAdmin):
            audited.add(label)
        else:  # read-only, even for the system administrator
            assert not model_admin.has_add_permission(request), label
            assert not model_admin.has_change_permission(request), label
            assert not model_admin.has_delete_permission(request), label
    assert audited == set(CHANGES) | set(DELETIONS)  # each is walked below


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_a_change_on_each_audited_admin_page_writes_one_record(client, root, world, label):
    make, field, posted_value, kept = CHANGES[label]
    obj = make(world)
    before = records_of(obj)
    save(client, url_of(obj, "change"), **{field: value(posted_value, world)})
    records = [r for r in records_of(obj) if r not in before]
    assert len(records) == 1, [(r.action, r.before, r.after) for r in records]
    record = records[0]
    assert record.actor == root
    assert record.action in (Action.CHANGED, Action.REKEYED)
    assert list(record.after) == [field], record.after
    assert record.after[field] == value(kept, world)
    assert record.before[field] != record.after[field]


@pytest.mark.parametrize("label", sorted(DELETIONS))
def test_deleting_a_sign_in_record_in_the_admin_is_recorded(client, root, world, label):
    obj = DELETIONS[label](world)
    response = client.post(url_of(obj, "delete"), {"post": "yes"})
    assert response.status_code == 302
    (record,) = records_of(obj)
    assert (record.action, record.actor, record.after) == (Action.DELETED, root, {})
    assert record.before["username"] == "enterprise"
    assert "post_data" not in record.before


def test_the_office_answers_who_changed_an_enterprises_district_and_when(
    client, office_in_admin, world
):
    enterprise = world.enterprise
    client.force_login(office_in_admin)
    save(client, url_of(enterprise, "change"), district=str(world.other_district.pk))

    history = client.get(url_of(enterprise, "history"), follow=True)
    assert history.status_code == 200
    assert history.redirect_chain[-1][0].startswith(reverse("admin:audit_auditrecord_changelist"))
    (record,) = history.context["cl"].result_list
    assert (record.actor, record.action) == (office_in_admin, Action.CHANGED)
    assert record.before == {"district": {"id": world.district.pk, "label": "南关区"}}
    assert record.after == {"district": {"id": world.other_district.pk, "label": "宽城区"}}
    page = history.content.decode()
    assert "office" in page and "南关区 → 宽城区" in page  # who, and from what to what

    # The same from the list: object type, then the changed field.
    enterprises = ContentType.objects.get_for_model(enterprise).pk
    listed = client.get(
        reverse("admin:audit_auditrecord_changelist"),
        {"type": enterprises, "field": "district"},
    )
    assert list(listed.context["cl"].result_list) == [record]
    assert "辖区" in listed.content.decode()  # the filter offers the enterprise's fields


def test_the_enterprise_page_records_each_coverage_added_removed_or_given_another_role(
    client, root, world
):
    enterprise = world.enterprise
    url = url_of(enterprise, "change")
    data = posted(client.get(url).content.decode())
    rows = int(data["coverages-TOTAL_FORMS"][0])
    liaison = Coverage.objects.get(enterprise=enterprise, role=Coverage.Role.LIAISON)
    for n in range(rows):
        if data[f"coverages-{n}-id"] == [str(liaison.pk)]:
            data[f"coverages-{n}-DELETE"] = ["on"]  # the liaison goes
        else:
            data[f"coverages-{n}-role"] = ["liaison"]  # the primary leader becomes a liaison
    data.update(
        {
            f"coverages-{rows}-official": [str(world.coordinator.official.pk)],
            f"coverages-{rows}-role": ["liaison"],
            "coverages-TOTAL_FORMS": [str(rows + 1)],
        }
    )
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context and response.context.get("errors")
    coverages = ContentType.objects.get_for_model(Coverage)
    records = AuditRecord.objects.filter(content_type=coverages)
    assert sorted((r.action, r.before.get("role"), r.after.get("role")) for r in records) == [
        (Action.CHANGED, "primary", "liaison"),
        (Action.CREATED, None, "liaison"),
        (Action.DELETED, "liaison", None),
    ]
    assert not records_of(enterprise)  # the enterprise's own fields did not change


def test_adding_and_deleting_in_the_admin_are_recorded(client, root, world):
    response = client.post(
        reverse("admin:workdays_calendarday_add"),
        {"date": "2027-10-09", "is_working": "on", "note": "国庆调休", "_save": "Save"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2027, 10, 9))
    (added,) = records_of(day)
    assert (added.action, added.before) == (Action.CREATED, {})
    assert added.after == {"date": "2027-10-09", "is_working": True, "note": "国庆调休"}

    assert client.post(url_of(day, "delete"), {"post": "yes"}).status_code == 302
    deleted = [r for r in records_of(day) if r.action == Action.DELETED]
    assert len(deleted) == 1 and deleted[0].before == added.after and deleted[0].after == {}


def test_the_lists_editable_columns_and_delete_selected_write_one_record_per_object(
    client, root, world
):
    districts = [world.district, world.other_district]
    data = posted(client.get(reverse("admin:enterprises_district_changelist")).content.decode())
    data.update({"form-0-sort_order": ["7"], "_save": ["Save"]})
    assert client.post(reverse("admin:enterprises_district_changelist"), data).status_code == 302
    changed = AuditRecord.objects.filter(action=Action.CHANGED)
    assert [(r.before, r.after) for r in changed] == [({"sort_order": 0}, {"sort_order": 7})]

    spare = [District.objects.create(code=f"spare{n}", name=f"备用区{n}") for n in range(3)]
    response = client.post(
        reverse("admin:enterprises_district_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in spare], "post": "yes"},
    )
    assert response.status_code == 302
    deleted = AuditRecord.objects.filter(action=Action.DELETED)
    assert sorted(r.object_repr for r in deleted) == ["备用区0", "备用区1", "备用区2"]
    assert all(r.actor == root for r in deleted)
    assert District.objects.filter(pk__in=[d.pk for d in districts]).count() == 2


def test_a_form_with_errors_or_a_refused_page_writes_no_record(client, office_in_admin, world):
    client.force_login(office_in_admin)
    written = AuditRecord.objects.count()
    url = url_of(world.enterprise, "change")
    data = posted(client.get(url).content.decode())
    data["uscc"] = ["91220101000000000X"]  # a wrong check character
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 200 and response.context["errors"]
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    refused = client.post(
        reverse("admin:auth_user_change", args=[root.pk]),
        {"username": "root", "first_name": "改", "is_superuser": "", "_save": "Save"},
    )
    assert refused.status_code == 403
    assert AuditRecord.objects.count() == written


def test_the_office_switching_an_integration_or_a_robot_off_is_recorded_as_a_deactivation(
    client, office_in_admin, world
):
    integration, group_robot = integration_create(name="hotline"), robot(world)
    client.force_login(office_in_admin)
    for obj in (integration, group_robot):
        url = url_of(obj, "change")
        data = posted(client.get(url).content.decode())
        data.pop("is_active")
        response = client.post(url, {**data, "_save": "Save"})
        assert response.status_code == 302, response.context and response.context.get("errors")
        (record,) = [r for r in records_of(obj) if r.actor == office_in_admin]
        assert record.action == Action.DEACTIVATED
        assert (record.before, record.after) == ({"is_active": True}, {"is_active": False})


def test_an_object_type_that_is_no_number_is_refused_not_a_server_error(client, root):
    integration_create(name="hotline")  # a record, so that the filter by object type is offered
    client.force_login(root)
    response = client.get("/admin/audit/auditrecord/", {"type": "9999-12-31"})
    assert response.status_code == 302 and "e=1" in response["Location"]
