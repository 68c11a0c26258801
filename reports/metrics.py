"""Open and overdue tickets by district for Prometheus, counted at scrape time through the
figures (settings.METRICS_COLLECTORS names the collector; ops serves /metrics).

The district breakdown adds up the rollup (per day and district) and counts only the overdue
tickets live, on their partial index: a handful of queries whatever the number of tickets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from enterprises.selectors import ReportScope

from .aggregates import breakdown
from .periods import Period

# Every ticket ever filed: the figures of a period that starts before any ticket can have.
HISTORY_START = dt.date(2000, 1, 1)


class TicketsByDistrictCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        open_ = GaugeMetricFamily(
            "qinqing_tickets_open",
            "Accepted tickets not resolved yet (在办), by district.",
            labels=["district"],
        )
        overdue = GaugeMetricFamily(
            "qinqing_tickets_overdue",
            "Open tickets past their completion deadline (超期), by district.",
            labels=["district"],
        )
        period = Period(HISTORY_START, timezone.localdate())
        for group in breakdown(period=period, scope=ReportScope(None), dimension="district"):
            district = group.key or "none"
            open_.add_metric([district], group.figures["open"])
            overdue.add_metric([district], group.figures["overdue"])
        yield open_
        yield overdue
