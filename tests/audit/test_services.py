"""Each change a service makes writes exactly one audit record per object changed, with who did it
and the changed fields before and after; a refused change writes none; a secret, a key or a
password never reaches a record."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import Action, AuditRecord
from enterprises.accounts import sign_in_unlock
from enterprises.models import Coverage, Enterprise, Official
from exchange.imports import enterprise_import_plan
from exchange.services import enterprise_import
from integrations.services import integration_create, integration_key_issue, integration_key_revoke
from notifications.endpoints import webhook_create, webhook_secret_rotate
from tests.audit.pages import posted
from tests.factories import valid_uscc
from tests.imports.test_enterprise_import import IMPORTED, row, xlsx

User = get_user_model()


def records_of(obj) -> list[AuditRecord]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        AuditRecord.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("id")
    )


def written(*models) -> list[AuditRecord]:
    types = [ContentType.objects.get_for_model(m) for m in models]
    return list(AuditRecord.objects.filter(content_type__in=types).order_by("id"))


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_an_enterprise_added_through_the_api_is_recorded_once_and_a_refused_one_not_at_all(world):
    body = {"uscc": valid_uscc(424242), "name": "新落户企业有限公司", "district": "nanguan"}
    assert api_as(world.leader).post("/api/v1/enterprises/", body).status_code == 403
    wrong = {**body, "uscc": body["uscc"][:-1] + ("1" if body["uscc"][-1] == "0" else "0")}
    assert api_as(world.office).post("/api/v1/enterprises/", wrong).status_code == 400
    assert not written(Enterprise)

    assert api_as(world.office).post("/api/v1/enterprises/", body).status_code == 201
    (record,) = written(Enterprise)
    assert (record.actor, record.action, record.before) == (world.office, Action.CREATED, {})
    assert record.object_repr == "新落户企业有限公司"
    assert record.after["uscc"] == body["uscc"]
    assert record.after["district"] == {"id": world.district.pk, "label": "南关区"}


def test_an_import_records_each_enterprise_and_coverage_it_changes(world):
    plan = enterprise_import_plan(content=xlsx([row(1), row(2)]), filename="a.xlsx")
    enterprise_import(actor=world.office, plan=plan)
    created = written(Enterprise, Coverage)
    assert sorted((r.content_type.model, r.action) for r in created) == [
        ("coverage", Action.CREATED),
        ("coverage", Action.CREATED),
        ("coverage", Action.CREATED),
        ("coverage", Action.CREATED),
        ("enterprise", Action.CREATED),
        ("enterprise", Action.CREATED),
    ]
    assert all(r.actor == world.office for r in created)

    # Again, with the first enterprise moved to another district and its liaison made its
    # primary leader (the leader, no longer named, stops covering it).
    again = row(1, district="kuancheng", primary_official="official", liaisons="")
    enterprise_import(
        actor=world.office,
        plan=enterprise_import_plan(content=xlsx([again, row(2)]), filename="b.xlsx"),
    )
    changes = [r for r in written(Enterprise, Coverage) if r not in created]
    enterprise = Enterprise.objects.get(uscc=valid_uscc(IMPORTED + 1))
    (moved,) = [r for r in changes if r.content_type.model == "enterprise"]
    assert moved.object_id == str(enterprise.pk) and moved.action == Action.CHANGED
    assert moved.before == {"district": {"id": world.district.pk, "label": "南关区"}}
    assert moved.after == {"district": {"id": world.other_district.pk, "label": "宽城区"}}
    promoted, removed = sorted((r for r in changes if r is not moved), key=lambda r: r.action)
    assert (promoted.action, promoted.before, promoted.after) == (
        Action.CHANGED,
        {"role": "liaison"},
        {"role": "primary"},
    )
    assert (removed.action, removed.after) == (Action.DELETED, {})
    assert removed.before["official"]["label"] == "李建国"
    assert removed.before["role"] == "primary"


def test_an_import_refused_for_its_errors_writes_no_record(world):
    plan = enterprise_import_plan(
        content=xlsx([row(1), row(2, district="nowhere")]), filename="c.xlsx"
    )
    with pytest.raises(ValidationError):
        enterprise_import(actor=world.office, plan=plan)
    assert not AuditRecord.objects.exists() and not Enterprise.objects.filter(uscc=row(1)[0])


def test_an_import_of_a_thousand_enterprises_writes_its_records_in_a_few_inserts(world):
    plan = enterprise_import_plan(
        content=xlsx([row(n) for n in range(1, 1001)]), filename="big.xlsx"
    )
    with CaptureQueriesContext(connection) as queries:
        enterprise_import(actor=world.office, plan=plan)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_auditrecord"')]
    assert AuditRecord.objects.count() == 3000  # 1,000 enterprises and 2,000 coverages
    assert len(inserts) == 6  # 500 records an INSERT, not one a row


def test_integrations_and_their_keys_are_recorded_without_the_key(world):
    integration = integration_create(name="hotline", actor=world.office)
    assert [r.action for r in records_of(integration)] == [Action.CREATED]
    assert [r.action for r in records_of(integration.user)] == [Action.CREATED]

    key, raw = integration_key_issue(integration=integration, label="主密钥", actor=world.office)
    (issued,) = records_of(key)
    assert issued.action == Action.KEY_ISSUED
    assert issued.after["integration"] == {"id": integration.pk, "label": "hotline"}
    assert issued.after["prefix"] == raw[:8] and "digest" not in issued.after
    assert raw not in json.dumps([issued.before, issued.after, issued.object_repr])

    integration_key_revoke(key=key, actor=world.office)
    integration_key_revoke(key=key, actor=world.office)  # already revoked: nothing happens
    revoked = records_of(key)[1:]
    assert [r.action for r in revoked] == [Action.KEY_REVOKED]
    assert revoked[0].before == {"revoked_at": None} and revoked[0].after["revoked_at"]


def test_a_webhook_and_its_new_secret_are_recorded_with_the_secret_masked(world):
    endpoint, secret = webhook_create(name="ERP", url="http://127.0.0.1:9/hook", actor=None)
    rotated = webhook_secret_rotate(endpoint=endpoint, actor=world.office)
    created, rekeyed = records_of(endpoint)
    assert (created.action, created.actor) == (Action.CREATED, None)
    assert (rekeyed.action, rekeyed.actor) == (Action.REKEYED, world.office)
    assert list(rekeyed.after) == ["secret"]
    assert rekeyed.after["secret"] == f"••••••••{rotated[-4:]}"
    text = json.dumps([created.after, rekeyed.before, rekeyed.after])
    assert secret not in text and rotated not in text


def test_unlocking_a_sign_in_is_recorded_and_unlocking_nothing_is_not(world):
    AccessAttempt.objects.create(
        username="enterprise", ip_address="192.0.2.1", failures_since_start=5
    )
    assert sign_in_unlock(user=world.enterprise_user, actor=world.office) == 1
    assert sign_in_unlock(user=world.enterprise_user, actor=world.office) == 0
    (record,) = records_of(world.enterprise_user)
    assert (record.action, record.actor) == (Action.SIGN_IN_UNLOCKED, world.office)
    assert (record.before, record.after) == ({"failed_sign_ins": 5}, {"failed_sign_ins": 0})


def test_a_password_set_by_the_office_by_mail_or_by_its_user_is_recorded_never_kept(
    client, world, office_in_admin
):
    user = world.enterprise_user
    client.force_login(office_in_admin)
    set_by_office = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "New-pass-2026-x", "password2": "New-pass-2026-x", "usable_password": "true"},
    )
    assert set_by_office.status_code == 302

    user.refresh_from_db()  # its new password: the session it signs in with says so
    client.force_login(user)
    own = {"new_password1": "Own-2026-pass-y", "new_password2": "Own-2026-pass-y"}
    wrong_old = client.post(reverse("password_change"), {**own, "old_password": "not-it"})
    assert wrong_old.status_code == 200  # refused: no record
    right = client.post(reverse("password_change"), {**own, "old_password": "New-pass-2026-x"})
    assert right.status_code == 302

    client.logout()
    user.refresh_from_db()  # the e-mailed link is made for its current password
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form = client.get(link, follow=True)
    mailed = {"new_password1": "Mailed-2026-pass-z", "new_password2": "Mailed-2026-pass-z"}
    assert client.post(form.redirect_chain[-1][0], mailed).status_code == 302

    user.refresh_from_db()
    assert user.check_password("Mailed-2026-pass-z")
    records = records_of(user)
    assert [(r.action, r.actor) for r in records] == [
        (Action.PASSWORD_SET, office_in_admin),
        (Action.PASSWORD_SET, user),
        (Action.PASSWORD_SET, user),
    ]
    assert all((r.before, r.after) == ({}, {"usable_password": True}) for r in records)


def test_accounts_created_deactivated_and_made_the_office_are_recorded(
    client, world, office_in_admin
):
    client.force_login(office_in_admin)
    added = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": "Newcomer-2026-pw",
            "password2": "Newcomer-2026-pw",
            "usable_password": "true",
            "_save": "Save",
        },
    )
    assert added.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    (created,) = records_of(newcomer)
    assert (created.action, created.actor) == (Action.CREATED, office_in_admin)
    assert created.after["username"] == "newcomer" and "password" not in created.after

    user = world.enterprise_user
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = posted(client.get(url).content.decode())
    data.pop("is_active")
    assert client.post(url, {**data, "_save": "Save"}).status_code == 302
    (deactivated,) = records_of(user)
    assert deactivated.action == Action.DEACTIVATED
    assert (deactivated.before, deactivated.after) == ({"is_active": True}, {"is_active": False})

    # The system administrator makes an official the office: the official's flag, and the
    # user's staff status and group that follow it.
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    client.force_login(root)
    official = world.official.official
    url = reverse("admin:enterprises_official_change", args=[official.pk])
    data = posted(client.get(url).content.decode())
    assert client.post(url, {**data, "is_office": "on", "_save": "Save"}).status_code == 302
    (flag,) = records_of(official)
    assert (flag.before, flag.after) == ({"is_office": False}, {"is_office": True})
    (role,) = records_of(world.official)
    assert role.before == {"is_staff": False, "groups": []}
    assert role.after == {"is_staff": True, "groups": ["领导小组办公室"]}
    assert Official.objects.get(pk=official.pk).is_office
