"""The office manages master data and the accounts of enterprises and officials in the admin, and
can never make itself (or anyone) an administrator: no staff or superuser flag, no group or
permission, no other administrator's account, no API token, integration key or signing secret.
Each escalation is tried as an attacker would, with forged POSTs; each is refused (403, or the
forged field ignored) and nothing that matters changes."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from enterprises.models import Enterprise, EnterpriseMember, Official
from integrations.models import Integration, IntegrationKey
from notifications.models import GroupRobot, WebhookEndpoint

User = get_user_model()
PASSWORD = "qinqing-demo"
WEBHOOK_SECRET = "webhook-secret-Zq8cV1mT4oR7"
ROBOT_SECRET = "SECrobot-secret-9f3Kx2LbQ"


@pytest.fixture
def demo(db):
    """The demo city, with its office as seed_demo makes it, a system administrator with an API
    token, an integration with a key, a webhook and a DingTalk robot with their secrets."""
    call_command("seed_demo", "--no-tickets", verbosity=0)
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    Token.objects.create(user=root)
    Token.objects.create(user=User.objects.get(username="enterprise"))
    WebhookEndpoint.objects.create(name="ERP", url="http://127.0.0.1:9/hook", secret=WEBHOOK_SECRET)
    GroupRobot.objects.create(
        name="南关区",
        kind="dingtalk",
        url="http://127.0.0.1:9/robot?access_token=t",
        secret=ROBOT_SECRET,
        district_id=Official.objects.get(user__username="district_leader").district_id,
    )
    return root


@pytest.fixture
def office(client, demo):
    user = User.objects.get(username="office")
    client.force_login(user)
    return user


def state() -> dict:
    """Everything an escalation would change: who is what, with which rights and credentials."""
    return {
        "users": {
            u.username: (
                u.is_staff,
                u.is_superuser,
                u.password,
                u.email,
                tuple(sorted(u.groups.values_list("name", flat=True))),
                tuple(sorted(u.user_permissions.values_list("codename", flat=True))),
            )
            for u in User.objects.all()
        },
        "groups": {
            g.name: tuple(sorted(g.permissions.values_list("content_type__app_label", "codename")))
            for g in Group.objects.all()
        },
        "office": sorted(Official.objects.filter(is_office=True).values_list("user__username")),
        "officials": sorted(Official.objects.values_list("user__username", "pk")),
        "members": sorted(EnterpriseMember.objects.values_list("user__username", "enterprise")),
        "tokens": sorted(Token.objects.values_list("user__username", "key")),
        "keys": sorted(IntegrationKey.objects.values_list("digest", "revoked_at")),
        "integrations": sorted(Integration.objects.values_list("name", "user__username")),
        "secrets": sorted(WebhookEndpoint.objects.values_list("url", "secret"))
        + sorted(GroupRobot.objects.values_list("url", "secret")),
    }


def forged_user_form(user, **extra) -> dict:
    """The change form of `user` as a superuser sees it, with every flag ticked."""
    return {
        "username": user.username,
        "first_name": "改",
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": list(Group.objects.values_list("pk", flat=True)),
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        **extra,
    }


def test_the_office_cannot_tick_superuser_staff_groups_or_permissions_on_any_account(
    client, office, demo
):
    before = state()
    targets = ["enterprise", "official", "leader", "office", "root"]
    for username in targets:
        user = User.objects.get(username=username)
        url = reverse("admin:auth_user_change", args=[user.pk])
        response = client.post(url, forged_user_form(user))
        assert response.status_code in (302, 403), username
    assert state() == before


def test_the_office_cannot_create_an_administrator(client, office):
    before = state()
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "mallory",
            "usable_password": "true",
            "password1": "Mallory-pass-2026",
            "password2": "Mallory-pass-2026",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": list(Group.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    mallory = User.objects.get(username="mallory")
    assert not (mallory.is_staff or mallory.is_superuser)
    assert not mallory.groups.exists() and not mallory.user_permissions.exists()
    client.post(reverse("admin:auth_user_change", args=[mallory.pk]), forged_user_form(mallory))
    mallory.refresh_from_db()
    assert not (mallory.is_staff or mallory.is_superuser)
    assert not mallory.groups.exists() and not mallory.user_permissions.exists()
    after = state()
    del after["users"]["mallory"]
    assert after == before


def test_the_office_resets_an_enterprise_users_password_and_no_one_elses(client, office):
    def reset(username):
        user = User.objects.get(username=username)
        return client.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {
                "password1": "New-pass-2026-x",
                "password2": "New-pass-2026-x",
                "usable_password": "true",
            },
        )

    assert reset("enterprise").status_code == 302
    assert User.objects.get(username="enterprise").check_password("New-pass-2026-x")
    before = state()
    for username in ["official", "leader", "coordinator", "office", "root", "integration-hotline"]:
        assert reset(username).status_code == 403, username
    assert state() == before


def test_the_office_cannot_change_an_officials_e_mail_to_take_its_password_reset(client, office):
    official = User.objects.get(username="official")
    before = state()
    response = client.post(
        reverse("admin:auth_user_change", args=[official.pk]),
        forged_user_form(official, email="attacker@example.cn"),
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.first_name == "改"  # the rest of the form is the office's to change
    assert state() == before


def test_groups_permissions_and_tokens_are_the_system_administrators_alone(client, office, demo):
    before = state()
    group = Group.objects.get(name="领导小组办公室")
    pages = [
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:authtoken_tokenproxy_changelist"),
        reverse("admin:authtoken_tokenproxy_change", args=[demo.pk]),
        reverse("admin:axes_accessattempt_changelist"),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    every = list(Permission.objects.values_list("pk", flat=True))
    assert (
        client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": group.name, "permissions": every},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:auth_group_add"), {"name": "x", "permissions": every}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": demo.pk}).status_code == 403
    )
    assert state() == before


def test_the_office_cannot_make_an_office_or_give_a_role_to_an_administrators_account(
    client, office, demo
):
    before = state()
    official = Official.objects.get(user__username="official")
    response = client.post(
        reverse("admin:enterprises_official_change", args=[official.pk]),
        {
            "user": official.user_id,
            "name": official.name,
            "title": official.title,
            "level": official.level,
            "department": official.department_id,
            "is_office": "on",
            "coverages-TOTAL_FORMS": "0",
            "coverages-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    for user in (demo, office):
        added = client.post(
            reverse("admin:enterprises_official_add"),
            {
                "user": user.pk,
                "name": "冒名",
                "level": "city_leader",
                "coverages-TOTAL_FORMS": "0",
                "coverages-INITIAL_FORMS": "0",
            },
        )
        assert added.status_code == 200  # the form, with an error on the user
        member = client.post(
            reverse("admin:enterprises_enterprisemember_add"),
            {"user": user.pk, "enterprise": Enterprise.objects.first().pk, "name": "冒名"},
        )
        assert member.status_code == 200
    other_office = Official.objects.get(user=office)
    assert (
        client.post(
            reverse("admin:enterprises_official_delete", args=[other_office.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert state() == before


def test_the_office_cannot_issue_integration_keys_or_make_integrations(client, office):
    before = state()
    hotline = Integration.objects.get(name="hotline")
    response = client.post(
        reverse("admin:integrations_integration_changelist"),
        {"action": "issue_key", "_selected_action": [hotline.pk]},
        follow=True,
    )
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert not re.search(r"[A-Za-z0-9_-]{40,}", shown)  # no key in any message
    add = client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "backdoor",
            "channel": "api",
            "is_active": "on",
            "keys-TOTAL_FORMS": "0",
            "keys-INITIAL_FORMS": "0",
        },
    )
    assert add.status_code == 403
    assert state() == before


def test_the_office_never_sees_a_token_or_a_secret_on_any_admin_page(client, office, demo):
    """Every page of every model the admin shows the office: its list, its add page and the
    change (or view) page of its first object."""
    hidden = [
        *Token.objects.values_list("key", flat=True),
        WEBHOOK_SECRET,
        ROBOT_SECRET,
        demo.password,
    ]
    seen = 0
    for model in admin.site._registry:
        opts = model._meta
        urls = [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        ]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 302, 403), url
            if response.status_code == 200:
                seen += 1
                page = response.content.decode()
                assert not [secret for secret in hidden if secret in page], url
    assert seen > 20  # the office does see master data


def test_a_city_without_the_demo_makes_its_office_in_the_admin_and_it_gets_no_more(
    client, world, settings
):
    """No seed_demo: the office group comes from the migrations; the system administrator marks
    an official as the office, which lets it into the admin with the office's rights only."""
    root = User.objects.create_superuser("root", "root@example.cn", "root-password-1")
    group = Group.objects.get(name="领导小组办公室")
    assert group.permissions.filter(codename="change_enterprise").exists()
    assert not group.permissions.filter(content_type__app_label__in=["authtoken", "axes"]).exists()
    assert not group.permissions.filter(
        codename__in=["change_group", "delete_user", "add_integration"]
    ).exists()

    official = world.official.official
    client.force_login(root)
    response = client.post(
        reverse("admin:enterprises_official_change", args=[official.pk]),
        {
            "user": official.user_id,
            "name": official.name,
            "title": official.title,
            "level": official.level,
            "department": official.department_id,
            "is_office": "on",
            "coverages-TOTAL_FORMS": "0",
            "coverages-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    new_office = User.objects.get(pk=official.user_id)
    assert new_office.is_staff and new_office.groups.filter(pk=group.pk).exists()

    client.force_login(new_office)
    assert client.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 200
    response = client.post(
        reverse("admin:auth_user_change", args=[new_office.pk]), forged_user_form(new_office)
    )
    assert response.status_code == 403
    new_office.refresh_from_db()
    assert not new_office.is_superuser

    client.force_login(root)  # and the system administrator takes it back
    client.post(
        reverse("admin:enterprises_official_change", args=[official.pk]),
        {
            "user": official.user_id,
            "name": official.name,
            "level": official.level,
            "department": official.department_id,
            "coverages-TOTAL_FORMS": "0",
            "coverages-INITIAL_FORMS": "0",
        },
    )
    new_office.refresh_from_db()
    assert not new_office.is_staff and not new_office.groups.exists()
