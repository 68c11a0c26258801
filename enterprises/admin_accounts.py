"""Accounts in the admin, held to enterprises.accounts' rules on the server, whatever a form
posts: the office manages the accounts of enterprises and officials and nothing above them;
groups, permissions and API tokens are the system administrator's (a superuser's) alone."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from audit.mixins import AuditedAdmin
from audit.models import Action
from audit.services import audit_record

from .accounts import manageable_users, may_manage, may_set_credentials, sign_in_unlock

User = get_user_model()


class SuperuserOnly:
    """Only the system administrator may open these pages at all."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class RolesGroupAdmin(AuditedAdmin, SuperuserOnly, GroupAdmin):
    pass


class TokenKeysAdmin(AuditedAdmin, SuperuserOnly, TokenAdmin):
    pass


class SignInAttemptsAdmin(AuditedAdmin, AccessAttemptAdmin):
    """django-axes' lockouts: deleting one unlocks a sign-in, which is audited like the
    accounts' unlock action."""


class SignInLogAdmin(AuditedAdmin, AccessLogAdmin):
    pass


class SignInFailuresAdmin(AuditedAdmin, AccessFailureLogAdmin):
    pass


class AccountAdmin(AuditedAdmin, UserAdmin):
    """Django's user admin; for anyone but a superuser it shows no staff or superuser flag, no
    groups or permissions, changes only the accounts the office manages, and sets a password
    (or the e-mail address a reset goes to) only where enterprises.accounts allows it."""

    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "failed_sign_ins",
    ]
    actions = ["unlock_sign_in"]

    def get_queryset(self, request):
        since = timezone.now() - get_cool_off()
        failures = (
            AccessAttempt.objects.filter(username=OuterRef("username"), attempt_time__gte=since)
            .values("username")
            .annotate(total=Sum("failures_since_start"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(failed_sign_ins=Subquery(failures, output_field=IntegerField()))
        )

    def get_search_results(self, request, queryset, search_term):
        if not request.user.is_superuser and request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(pk__in=manageable_users())  # what the office may pick
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("failed sign-ins (last hour)"), ordering="failed_sign_ins")
    def failed_sign_ins(self, obj) -> int:
        return obj.failed_sign_ins or 0

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)  # adding: user name and password only
        credentials = may_set_credentials(request.user, obj)
        return (
            (None, {"fields": ("username", "password") if credentials else ("username",)}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Status"), {"fields": ("is_active",)}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        readonly = ["last_login", "date_joined"]
        if not may_set_credentials(request.user, obj):
            readonly.append("email")  # a reset mail to another address would hand the account on
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not request.user.is_superuser:
            # Never from a form of the office, whatever it posts.
            stored = User.objects.filter(pk=obj.pk).first() if change else None
            obj.is_staff = stored.is_staff if stored else False
            obj.is_superuser = stored.is_superuser if stored else False
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not may_set_credentials(request.user, user):
            raise PermissionDenied
        with transaction.atomic():  # the password and its audit record (see log_change)
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        """Django's password page logs its change here once the password is saved: the audit
        record says that it was set (or password sign-in switched off), never what it is."""
        if getattr(request.resolver_match, "url_name", None) == "auth_user_password_change":
            audit_record(
                actor=request.user,
                action=Action.PASSWORD_SET,
                obj=obj,
                before={},
                after={"usable_password": obj.has_usable_password()},
            )
        return super().log_change(request, obj, message)

    @admin.action(description=_("Unlock sign-in (clear failed sign-ins)"), permissions=["change"])
    def unlock_sign_in(self, request, queryset) -> None:
        unlocked = refused = 0
        for user in queryset:
            if may_manage(request.user, user):
                sign_in_unlock(user=user, actor=request.user)
                unlocked += 1
            else:
                refused += 1
        self.message_user(
            request,
            ngettext(
                "Sign-in unlocked for %(count)d account.",
                "Sign-in unlocked for %(count)d accounts.",
                unlocked,
            )
            % {"count": unlocked},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                _(
                    "%(count)d administrator accounts left alone: only the system administrator unlocks them."
                )
                % {"count": refused},
                messages.WARNING,
            )


for model, model_admin in [
    (User, AccountAdmin),
    (Group, RolesGroupAdmin),
    (TokenProxy, TokenKeysAdmin),
    (AccessAttempt, SignInAttemptsAdmin),
    (AccessLog, SignInLogAdmin),
    (AccessFailureLog, SignInFailuresAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
