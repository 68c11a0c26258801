"""Signing in and resetting a password: bounded user names, throttled reset e-mails, and an
audit record of every password a user sets itself.

Django's sign-in forms show the user name's length limit in the page but do not check it (the
limit is set after the field is made), so a name of thousands of characters reached the
authentication backends and django-axes, whose table holds 255. Here it is a form error, and
nothing is written.

A password-reset e-mail is throttled per client address (PASSWORD_RESET_IP_RATE; beyond it the
page answers 429) and per e-mail address asked for (PASSWORD_RESET_ACCOUNT_RATE; beyond it the
page answers exactly as before and sends nothing, so it tells nobody whether an account has that
address). Both count in the cache with django-ratelimit, like every other limit here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from audit.models import Action
from audit.services import audit_record

RESET_GROUP = "accounts.password_reset"


class BoundedUsernameMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    pass


class AuditedPasswordMixin:
    """A password a user sets itself (through the e-mailed link, or changing its own) is
    audited as set by that user; the record never holds the password."""

    def save(self, commit=True):
        with transaction.atomic():
            user = super().save(commit)
            if commit:
                audit_record(
                    actor=user,
                    action=Action.PASSWORD_SET,
                    obj=user,
                    before={},
                    after={"usable_password": True},
                )
        return user


class AuditedSetPasswordForm(AuditedPasswordMixin, SetPasswordForm):
    pass


class AuditedPasswordChangeForm(AuditedPasswordMixin, PasswordChangeForm):
    pass


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args, **kwargs) -> None:
        request = kwargs.get("request")
        email = self.cleaned_data["email"].strip().lower()
        if request is not None and is_ratelimited(
            request,
            group=RESET_GROUP,
            key=lambda _group, _request: f"email:{email}",
            rate=settings.PASSWORD_RESET_ACCOUNT_RATE,
            method="POST",
            increment=True,
        ):
            return  # the same answer as a sent e-mail: the page says nothing about the account
        super().save(*args, **kwargs)


def password_reset(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and is_ratelimited(
        request,
        group=RESET_GROUP,
        key="ip",
        rate=settings.PASSWORD_RESET_IP_RATE,
        method="POST",
        increment=True,
    ):
        return render(request, "registration/password_reset_throttled.html", status=429)
    return auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm)(request)
