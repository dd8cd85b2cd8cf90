"""The bot's Prometheus metrics: what a supervisor graphs and alerts on (docs/deploy.md).

Counters and histograms are fed by two hooks, one per moving part: the router reports every
request (:class:`bot.core.handled.Handled`) and the dispatcher every finished pass
(:class:`bot.delivery.dispatcher.DispatchReport`). Gauges that describe the database (the
outbox backlog) or the process (the hub index) are read when ``/metrics`` is scraped, so an
idle bot costs nothing between scrapes.

Each :class:`Metrics` has its own registry (tests build one each; nothing global is shared).
Labels never hold user text or ids: the command label is the declared command, the kind
label an outbox kind, the platform and chat kind (``private`` or ``group``) of a send: all
from closed sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.exposition import choose_encoder

from bot.core.handled import Handled
from bot.delivery.dispatcher import DispatchReport
from storage.repositories.outbox import Backlog

REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
DELAY_BUCKETS = (0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
"""Seconds between a row's due time and its send: a reminder minutes late is worth an alert."""


class Metrics:
    """Every metric of one process, in one registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry = registry or CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        self.requests = Counter(
            "champions_requests",
            "Requests handled, by platform, declared command and outcome.",
            ["platform", "command", "outcome"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "champions_request_duration_seconds",
            "Time from a request reaching the router to its replies being ready.",
            ["platform", "command"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        by_chat = ["platform", "chat_kind"]
        self.sent = Counter(
            "champions_outbox_sent",
            "Outbox messages the platforms accepted, by platform and chat kind.",
            by_chat,
            registry=registry,
        )
        self.rate_limited = Counter(
            "champions_outbox_rate_limited",
            "Sends a platform refused with 429 (retried after its retry_after).",
            by_chat,
            registry=registry,
        )
        self.retried = Counter(
            "champions_outbox_retries",
            "Sends that failed and were put back for a later try.",
            by_chat,
            registry=registry,
        )
        self.failed = Counter(
            "champions_outbox_failed",
            "Outbox messages given up (a permanent refusal or too many tries).",
            by_chat,
            registry=registry,
        )
        self.missed = Counter(
            "champions_reminders_missed",
            "Reminders recorded as missed: not sent within the grace window after their time.",
            registry=registry,
        )
        self.recovered = Counter(
            "champions_outbox_recovered",
            "Claims of a crashed sender taken back (its lease ran out).",
            registry=registry,
        )
        self.unconfirmed = Counter(
            "champions_outbox_unconfirmed",
            "Messages that may have arrived and were not repeated (docs/delivery.md).",
            registry=registry,
        )
        self.send_delay = Histogram(
            "champions_outbox_send_delay_seconds",
            "Seconds between an outbox message's due time and its send.",
            buckets=DELAY_BUCKETS,
            registry=registry,
        )
        self.last_pass = Gauge(
            "champions_dispatcher_last_pass_timestamp_seconds",
            "When this process's dispatcher last finished a pass (Unix time).",
            registry=registry,
        )
        self.outbox_waiting = Gauge(
            "champions_outbox_waiting",
            "Outbox messages not sent yet (due now or later), by kind.",
            ["kind"],
            registry=registry,
        )
        self.outbox_due = Gauge(
            "champions_outbox_due",
            "Outbox messages already due and not sent yet, by kind.",
            ["kind"],
            registry=registry,
        )
        self.outbox_age = Gauge(
            "champions_outbox_oldest_due_age_seconds",
            "How late the oldest due, unsent outbox message is, by kind (0 when none is due).",
            ["kind"],
            registry=registry,
        )
        self.hub_index = Gauge(
            "champions_hub_index_documents",
            "Resources in this process's Knowledge Hub search index (0 before the first search).",
            registry=registry,
        )
        self.adapter_connected = Gauge(
            "champions_adapter_connected",
            "1 while the platform connection is up, 0 while it is down.",
            ["adapter"],
            registry=registry,
        )
        self._kinds: set[str] = set()

    # the two hooks ------------------------------------------------------------------------

    def observe_request(self, handled: Handled) -> None:
        """A :data:`bot.core.handled.RequestObserver` for the router."""
        self.requests.labels(handled.platform, handled.command, handled.outcome.value).inc()
        self.request_seconds.labels(handled.platform, handled.command).observe(handled.seconds)

    def observe_dispatch(self, report: DispatchReport, finished_at: float) -> None:
        """What one dispatcher pass did (``finished_at``: Unix time)."""
        outcomes = {
            "sent": self.sent,
            "rate_limited": self.rate_limited,
            "retried": self.retried,
            "failed": self.failed,
        }
        for (outcome, platform, chat_kind), count in report.by_chat.items():
            outcomes[outcome].labels(platform, chat_kind).inc(count)
        self.missed.inc(report.missed)
        self.recovered.inc(report.recovered)
        self.unconfirmed.inc(report.unconfirmed)
        for delay in report.delays:
            self.send_delay.observe(max(delay, 0.0))
        self.last_pass.set(finished_at)

    # read at scrape time ------------------------------------------------------------------

    def set_backlog(self, backlog: Iterable[Backlog], now: datetime) -> None:
        """The outbox as it is now; a kind that emptied shows 0 rather than vanishing."""
        seen: set[str] = set()
        for row in backlog:
            seen.add(row.kind)
            late = (now - row.oldest_due_at).total_seconds() if row.oldest_due_at else 0.0
            self.outbox_waiting.labels(row.kind).set(row.waiting)
            self.outbox_due.labels(row.kind).set(row.due)
            self.outbox_age.labels(row.kind).set(max(late, 0.0))
        for kind in self._kinds - seen:
            for gauge in (self.outbox_waiting, self.outbox_due, self.outbox_age):
                gauge.labels(kind).set(0)
        self._kinds |= seen

    def set_connected(self, adapter: str, connected: bool) -> None:
        self.adapter_connected.labels(adapter).set(1 if connected else 0)

    def exposition(self, accept: str | None = None) -> tuple[bytes, str]:
        """The metrics as the scraper asked (Prometheus text, or OpenMetrics), and its
        content type."""
        encoder, content_type = choose_encoder(accept or "")
        return encoder(self.registry), content_type
