"""Other systems that file problems (the 12345 hotline, Open311 clients) and their API keys.

An integration acts through its own user, so every rule that asks "who is this?" (the transition
table's Role.INTEGRATION, the event log's actor) works unchanged. Keys are stored as SHA-256
digests only: a key is shown once when it is issued and can be revoked at any time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise  # a label, translated when shown

# The channels an integration may record on the problems it files, and the one it records unless
# told: tickets names them from its AppConfig.ready (register_channels), since integrations, on
# a floor below tickets, knows no tickets.
_CHANNELS: dict = {"choices": [], "default": ""}


def register_channels(choices: Sequence[tuple[str, StrOrPromise]], *, default: str) -> None:
    _CHANNELS.update(choices=list(choices), default=default)


def channel_choices() -> list[tuple[str, StrOrPromise]]:
    return list(_CHANNELS["choices"])


def default_channel() -> str:
    return _CHANNELS["default"]


def key_digest(raw: str) -> str:
    """What is stored of a key: keys are long random strings, so one SHA-256 round is enough to
    store them safely."""
    return hashlib.sha256(raw.encode()).hexdigest()


class Integration(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="integration",
        editable=False,
    )
    name = models.SlugField(
        _("name"),
        max_length=32,
        unique=True,
        help_text=_("A short code such as “hotline”; the integration's user gets this name."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=channel_choices,
        default=default_channel,
        help_text=_("The channel recorded on the problems this system files."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive integration's keys stop working.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return self.name


class IntegrationKey(models.Model):
    integration = models.ForeignKey(
        Integration, verbose_name=_("integration"), on_delete=models.CASCADE, related_name="keys"
    )
    label = models.CharField(_("label"), max_length=64, blank=True)
    prefix = models.CharField(
        _("starts with"), max_length=8, editable=False, help_text=_("To tell keys apart.")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.integration} · {self.prefix}…"
