"""The outbox for Prometheus, counted at scrape time (settings.METRICS_COLLECTORS names it)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .selectors import outbox_backlog


class OutboxCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        backlog = outbox_backlog()
        yield GaugeMetricFamily(
            "qinqing_outbox_pending", "Outgoing messages not sent yet.", value=backlog.pending
        )
        age = (timezone.now() - backlog.oldest).total_seconds() if backlog.oldest else 0.0
        yield GaugeMetricFamily(
            "qinqing_outbox_oldest_pending_age_seconds",
            "Age of the oldest message not sent yet (0 when none is waiting).",
            value=max(age, 0.0),
        )
