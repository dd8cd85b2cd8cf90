"""/healthz, /readyz and /metrics, served by aiohttp and read as a supervisor would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import DeliveryError, RateLimitedError
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher
from bot.ops.http import serve
from bot.ops.operations import Operations
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say

DUE = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Flaky(RecordingMessenger):
    """member1 blocked the bot; member2 meets one 429 first."""

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        if recipient.chat_id == "member1":
            raise DeliveryError("bot blocked", retryable=False)
        if recipient.chat_id == "member2" and not getattr(self, "limited", False):
            self.limited = True
            raise RateLimitedError("429", retry_after=0.01)
        return await super().send(recipient, reply)


@pytest.fixture
async def served(app: BotApp) -> AsyncIterator[tuple[Operations, str]]:
    operations = Operations(app)
    runner: web.AppRunner = await serve(operations)
    port = runner.addresses[0][1]
    try:
        yield operations, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def _enqueue(app: BotApp, chat_ids: list[str], kind: str, due: datetime) -> None:
    rows = [
        outbox.message(
            f"t:{kind}:{chat}",
            kind,
            Recipient(Platform.CONSOLE, chat, private=True),
            Reply.text("hello"),
            due,
        )
        for chat in chat_ids
    ]
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(rows, now=app.clock.now())


async def test_metrics_parse_and_count_requests_sends_and_backlog(
    app: BotApp, clock: ManualClock, served: tuple[Operations, str]
) -> None:
    operations, base = served
    dispatcher = Dispatcher(app)
    operations.watch(None)
    dispatcher.observers.append(operations._pass_finished)
    app.add_messenger(Flaky(clock))

    await say(app, "amina", "/help")
    await say(app, "amina", "/help")
    await say(app, "amina", "/webinar add")  # admins only: refused
    await say(app, "amina", "/no-such-command")
    await say(app, "amina", "/help", update_id="u1")
    await say(app, "amina", "/help", update_id="u1")  # redelivered
    await say(app, "amina", "/resources gender budgeting")  # builds the hub's index

    clock.set(DUE - timedelta(minutes=5))
    members = ["member0", "member1", "member2"]
    await _enqueue(app, members, "announcement", DUE - timedelta(minutes=1))
    await _enqueue(app, ["member3"], "reminder", DUE + timedelta(hours=1))
    status, _type, text = await _get(base + "/metrics")
    assert status == 200
    before = _samples(text)
    assert before[("champions_outbox_waiting", (("kind", "announcement"),))] == 3
    assert before[("champions_outbox_due", (("kind", "announcement"),))] == 0
    assert before[("champions_outbox_waiting", (("kind", "reminder"),))] == 1

    clock.set(DUE)
    await dispatcher.run_due()

    status, content_type, text = await _get(base + "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    samples = _samples(text)

    def requests(command: str, outcome: str) -> float:
        labels = (("command", command), ("outcome", outcome), ("platform", "console"))
        return samples.get(("champions_requests_total", labels), 0.0)

    assert requests("help", "ok") == 3
    assert requests("help", "duplicate") == 1
    assert requests("webinar add", "refused") == 1
    assert requests("(unknown)", "ok") == 1
    count = (("command", "help"), ("platform", "console"))
    assert samples[("champions_request_duration_seconds_count", count)] == 4
    console = (("chat_kind", "private"), ("platform", "console"))
    assert samples[("champions_outbox_sent_total", console)] == 2  # member2 after its 429
    assert samples[("champions_outbox_failed_total", console)] == 1
    assert samples[("champions_outbox_rate_limited_total", console)] == 1
    assert samples[("champions_outbox_send_delay_seconds_count", ())] == 2
    assert samples[("champions_dispatcher_last_pass_timestamp_seconds", ())] > 0
    # what is left: the reminder due in an hour; the announcements are sent or failed
    assert samples[("champions_outbox_waiting", (("kind", "announcement"),))] == 0
    assert samples[("champions_outbox_waiting", (("kind", "reminder"),))] == 1
    assert samples[("champions_outbox_oldest_due_age_seconds", (("kind", "reminder"),))] == 0
    assert samples[("champions_hub_index_documents", ())] > 0
    assert ("process_cpu_seconds_total", ()) in samples


async def test_a_late_due_row_shows_its_age_and_missed_reminders_count(
    app: BotApp, clock: ManualClock, served: tuple[Operations, str]
) -> None:
    operations, base = served
    clock.set(DUE)
    await _enqueue(app, ["member9"], "announcement", DUE - timedelta(minutes=10))
    await _enqueue(app, ["member8"], "reminder", DUE - timedelta(hours=2))  # beyond grace
    dispatcher = Dispatcher(app)  # no messenger for the console: nothing is sent
    dispatcher.observers.append(operations._pass_finished)
    await dispatcher.run_due()
    samples = _samples((await _get(base + "/metrics"))[2])
    age = samples[("champions_outbox_oldest_due_age_seconds", (("kind", "announcement"),))]
    assert age == pytest.approx(600)
    assert samples[("champions_outbox_due", (("kind", "announcement"),))] == 1
    assert samples[("champions_reminders_missed_total", ())] == 1


async def test_health_and_readiness(app: BotApp, served: tuple[Operations, str]) -> None:
    operations, base = served
    status, _type, body = await _get(base + "/healthz")
    assert (status, body) == (200, "ok\n")

    report = operations.connection("telegram")
    status, _type, body = await _get(base + "/readyz")
    assert status == 503 and '"not connected: telegram"' in body

    report(True)
    operations.readiness.pass_finished()
    status, _type, body = await _get(base + "/readyz")
    assert status == 200, body

    operations.readiness.stuck_after = -1  # as if no pass had finished for too long
    status, _type, body = await _get(base + "/readyz")
    assert status == 503 and "no pass finished" in body

    operations.readiness.stuck_after = 600
    await app.database.dispose()
    operations.readiness.database = _Unreachable()
    status, _type, body = await _get(base + "/readyz")
    assert status == 503 and '"storage"' in body and "unreachable: ConnectionRefusedError" in body


class _Unreachable:
    async def ping(self, seconds: float = 2.0) -> None:
        raise ConnectionRefusedError("no server")


async def test_the_container_probe_asks_healthz_only_when_the_server_is_on(
    served: tuple[Operations, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import asyncio

    from bot.config import HttpConfig, Settings
    from bot.ops import probe

    def served_at(listen: str, port: int) -> Settings:
        return Settings(http=HttpConfig(public_url="https://bot.example", listen=listen, port=port))

    assert probe.health_url(Settings(http=None)) is None  # no [http]: nothing to ask
    port = int(served[1].rsplit(":", 1)[1])
    on = served_at("0.0.0.0", port)
    assert probe.health_url(on) == f"http://127.0.0.1:{port}/healthz"
    monkeypatch.setattr(probe, "load_settings", lambda: on)
    assert await asyncio.to_thread(probe.main) == 0
    off = served_at("127.0.0.1", 1)
    monkeypatch.setattr(probe, "load_settings", lambda: off)
    assert await asyncio.to_thread(probe.main) == 1
    monkeypatch.setattr(probe, "load_settings", lambda: Settings(http=None))
    assert await asyncio.to_thread(probe.main) == 0


async def test_the_bots_http_server_serves_the_ops_routes_beside_the_feeds(
    sqlite_url: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from bot.config import HttpConfig
    from bot.web import start_web_server
    from tests.conftest import make_settings

    settings = make_settings(sqlite_url, http=HttpConfig(public_url="https://bot.example", port=0))
    app = await BotApp.start(settings, clock=clock)
    operations = Operations(app)
    server = await start_web_server(app, operations)
    assert server is not None
    base = f"http://127.0.0.1:{server.port}"
    try:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            assert (await _get(base + "/healthz"))[0] == 200
            status, _type, text = await _get(base + "/metrics")
            assert status == 200 and "champions_requests_total" in text
            assert (await _get(base + "/calendar/no-such-token.ics"))[0] == 404
        logged = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
        (line,) = logged  # probes and scrapes are not logged
        assert line.startswith("GET /calendar/***.ics 404")
    finally:
        await server.stop()
        await app.close()


def test_send_counters_carry_the_platform_and_chat_kind() -> None:
    """A pass that sent on Telegram and Discord, met a 429 on Discord and put a Telegram send
    back: each counter shows the platform and the kind of chat; the exposition parses."""
    from bot.delivery.report import DispatchReport
    from bot.ops.metrics import Metrics

    report = DispatchReport()
    for outcome, platform, private in [
        ("sent", "telegram", True),
        ("sent", "telegram", True),
        ("sent", "discord", False),
        ("rate_limited", "discord", False),
        ("retried", "telegram", False),
    ]:
        report.count(outcome, platform, private)
    metrics = Metrics()
    metrics.observe_dispatch(report, finished_at=1.0)
    samples = _samples(metrics.exposition()[0].decode())
    assert (
        samples[
            ("champions_outbox_sent_total", (("chat_kind", "private"), ("platform", "telegram")))
        ]
        == 2
    )
    assert (
        samples[("champions_outbox_sent_total", (("chat_kind", "group"), ("platform", "discord")))]
        == 1
    )
    assert (
        samples[
            (
                "champions_outbox_rate_limited_total",
                (("chat_kind", "group"), ("platform", "discord")),
            )
        ]
        == 1
    )
    assert (
        samples[
            ("champions_outbox_retries_total", (("chat_kind", "group"), ("platform", "telegram")))
        ]
        == 1
    )
