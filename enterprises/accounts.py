"""Accounts, and what the campaign office may do with them.

Two kinds of administrator:

- the system administrator, a superuser made with `createsuperuser`, administers roles: who is
  staff or superuser, who is the office, groups and permissions, API tokens, integrations and
  their keys, webhooks and their signing secrets;
- the office (领导小组办公室) manages master data and the accounts of enterprises and officials
  in the admin: it creates an account, deactivates it, resets an enterprise user's password,
  makes it an enterprise's user or an official (department, level, coordinator, coverage) and
  unlocks a sign-in. It never grants staff or superuser status, groups or permissions, never
  makes anyone the office (that would hand on its own power), and never touches another
  administrator's account or reads a token, a key or a secret.

The office's admin rights are the group OFFICE_GROUP with exactly OFFICE_PERMISSIONS, written by
`office_group_sync` after every `migrate` (enterprises.apps), so a city that never ran the demo
data has it too, and any change made to the group by hand is undone at the next deploy. An
official whose office flag the system administrator sets is put in the group and made staff
(`office_membership_sync`); clearing the flag takes both away again. The admin classes
(enterprises.admin_accounts) hold to the rules above whatever permissions a group is given.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.db.models import Q, Sum

from audit.models import Action
from audit.services import audit_record
from audit.state import audit_state

from .models import Official

User = get_user_model()

OFFICE_GROUP = "领导小组办公室"
ALL = ("add", "change", "delete", "view")
VIEW = ("view",)
# "app" means every model of the app; "app.model" that model only.
OFFICE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "enterprises": ALL,  # master data, officials, enterprise users, coverage
    "dispatches": ALL,
    "workdays": ALL,  # the office's corrections to the calendar
    "tickets": VIEW,  # every change goes through the services, never the admin
    "open311": VIEW,
    "reports.campaignsettings": ("add", "change", "view"),
    "reports.bulletin": VIEW,
    "notifications.grouprobot": ALL,
    "notifications.delivery": ("change", "view"),  # "send again now"
    "notifications.notification": VIEW,
    "notifications.preference": ("change", "view"),
    "notifications.webhookendpoint": VIEW,
    "integrations.integration": ("change", "view"),  # switch one off
    "integrations.integrationkey": ("change", "view"),  # revoke a key
    "auth.user": ("add", "change", "view"),  # deactivate rather than delete
    "audit": VIEW,  # who changed what (records are never changed: there is no such right)
}


def office_permissions(using: str = "default"):
    wanted = Q(pk__in=[])
    for target, actions in OFFICE_PERMISSIONS.items():
        app_label, _dot, model = target.partition(".")
        where = Q(content_type__app_label=app_label)
        if model:
            where &= Q(content_type__model=model)
            wanted |= where & Q(codename__in=[f"{action}_{model}" for action in actions])
        else:
            for action in actions:
                wanted |= where & Q(codename__startswith=f"{action}_")
    return Permission.objects.using(using).filter(wanted)


def office_group_sync(*, using: str = "default") -> Group:
    """The office group, with exactly OFFICE_PERMISSIONS."""
    group, _created = Group.objects.using(using).get_or_create(name=OFFICE_GROUP)
    group.permissions.set(office_permissions(using))
    return group


def is_privileged(user: AbstractBaseUser) -> bool:
    """An administrator of some kind: staff, superuser, or the office (even one not let into the
    admin yet). Such accounts are the system administrator's to manage, never the office's."""
    if user.is_staff or user.is_superuser:
        return True
    return Official.objects.filter(user=user, is_office=True).exists()


def office_may_manage(user: AbstractBaseUser) -> bool:
    """The accounts the office manages: enterprises' and officials', not an administrator's nor
    the user an integration acts through (its `integration`)."""
    return not is_privileged(user) and getattr(user, "integration", None) is None


def manageable_users():
    """The accounts `office_may_manage`, as a queryset (for the admin's choices of a user)."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(official__is_office=True)
        .exclude(integration__isnull=False)
    )


def office_may_set_credentials(user: AbstractBaseUser) -> bool:
    """Whose password (and the e-mail address a reset goes to) the office may set: an
    enterprise user's, or an account with no role yet. An official resets its own password
    by e-mail; the system administrator does the rest."""
    return office_may_manage(user) and not Official.objects.filter(user=user).exists()


def may_manage(actor: AbstractBaseUser, user: AbstractBaseUser) -> bool:
    return actor.is_superuser or office_may_manage(user)


def may_set_credentials(actor: AbstractBaseUser, user: AbstractBaseUser) -> bool:
    return actor.is_superuser or office_may_set_credentials(user)


@transaction.atomic
def office_membership_sync(
    *, user: AbstractBaseUser, actor: AbstractBaseUser | None = None
) -> None:
    """Staff status and the office group follow the user's office flag: set, the user enters
    the admin with the office's rights; cleared, it loses both (a superuser stays staff).
    A change to either is audited as a change of the user."""
    group = Group.objects.filter(name=OFFICE_GROUP).first() or office_group_sync()
    before = audit_state(user)
    _office_membership_apply(user, group)
    audit_record(actor=actor, action=Action.CHANGED, obj=user, before=before)


def _office_membership_apply(user: AbstractBaseUser, group: Group) -> None:
    if Official.objects.filter(user=user, is_office=True).exists():
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    elif user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


@transaction.atomic
def sign_in_unlock(*, user: AbstractBaseUser, actor: AbstractBaseUser | None = None) -> int:
    """Clears the failed sign-ins of this one account (django-axes), from every address; the
    lockouts of other accounts stay, and an unlock that cleared something is audited. Answers
    how many records were cleared."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    username = user.get_username()
    if not username:
        return 0  # no name would reset everybody
    attempts = AccessAttempt.objects.filter(username=username)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    cleared = reset(username=username)
    if cleared:
        audit_record(
            actor=actor,
            action=Action.SIGN_IN_UNLOCKED,
            obj=user,
            before={"failed_sign_ins": failures},
            after={"failed_sign_ins": 0},
        )
    return cleared
