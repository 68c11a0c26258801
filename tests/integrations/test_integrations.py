"""Integration accounts: created and given keys in the admin, keys shown once and revocable;
the demo data's hotline files problems with its well-known key."""

from __future__ import annotations

import io
import re

from django.core.management import call_command

from integrations.models import Integration, IntegrationKey, key_digest
from integrations.services import integration_authenticate, integration_create
from tickets.workflow import Role, roles_for_enterprise


def staff_office(world):
    world.office.is_staff = True
    world.office.is_superuser = True
    world.office.save()
    return world.office


def test_the_admin_creates_an_integration_with_its_own_user(client, world):
    client.force_login(staff_office(world))
    response = client.post(
        "/admin/integrations/integration/add/",
        {
            "name": "wechat",
            "description": "企业微信群机器人",
            "channel": "wechat",
            "is_active": "on",
            "keys-TOTAL_FORMS": "0",
            "keys-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    integration = Integration.objects.get(name="wechat")
    assert integration.user.username == "integration-wechat"
    assert not integration.user.has_usable_password()


def test_a_key_issued_in_the_admin_is_shown_once_and_stored_as_a_digest(client, world):
    integration = integration_create(name="hotline")
    client.force_login(staff_office(world))
    response = client.post(
        "/admin/integrations/integration/",
        {"action": "issue_key", "_selected_action": [integration.pk]},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    raw = re.search(r"[A-Za-z0-9_-]{40,}", message).group()  # secrets.token_urlsafe(32)
    key = IntegrationKey.objects.get(integration=integration)
    assert key.digest == key_digest(raw) and raw not in key.digest
    assert integration_authenticate(raw_key=raw) == integration

    client.post(
        "/admin/integrations/integrationkey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert integration_authenticate(raw_key=raw) is None


def test_an_active_integration_holds_the_integration_role_and_a_switched_off_one_does_not(world):
    integration = integration_create(name="hotline")
    assert Role.INTEGRATION in roles_for_enterprise(integration.user, world.enterprise.pk)
    integration.is_active = False
    integration.save()
    user = type(integration.user).objects.get(pk=integration.user.pk)
    assert Role.INTEGRATION not in roles_for_enterprise(user, world.enterprise.pk)


def test_the_demo_hotline_files_a_problem_with_its_well_known_key(client, db):
    call_command("seed_demo", "--no-tickets", stdout=io.StringIO())
    call_command("seed_demo", "--no-tickets", stdout=io.StringIO())  # twice changes nothing
    hotline = Integration.objects.get(name="hotline")
    assert hotline.keys.count() == 1 and hotline.channel == "hotline"
    from enterprises.models import Enterprise

    enterprise = Enterprise.objects.order_by("pk").first()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "qinqing-demo-key",
            "service_code": "power",
            "attribute[uscc]": enterprise.uscc,
            "description": "12345热线转来：园区停电",
        },
    )
    assert response.status_code == 200, response.content
