"""What Open311 keeps beside a ticket filed through it."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.models import Integration
from tickets.models import Ticket


class ServiceRequest(models.Model):
    """A ticket filed through Open311: the client's own location, media link and token.

    The ticket itself holds the problem; this row holds only what GeoReport v2 adds to it.
    """

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="open311"
    )
    integration = models.ForeignKey(
        Integration,
        verbose_name=_("integration"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_id = models.CharField(_("address id"), max_length=64, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    account_id = models.CharField(_("account id"), max_length=64, blank=True)
    device_id = models.CharField(_("device id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 service request")
        verbose_name_plural = _("Open311 service requests")

    def __str__(self) -> str:
        return str(self.token)
