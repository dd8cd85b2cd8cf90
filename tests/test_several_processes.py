"""Several processes on one PostgreSQL database: each update answered once, each reminder sent
once, even when a webhook worker is killed with ``kill -9`` in the middle of an update.

The deployment of docs/deploy.md section 4, as real OS processes (``python -m bot run --only
ROLE``) started together on a fresh database, each serving one HTTP port (the webhook,
``/readyz`` and ``/metrics``): two Telegram webhook workers behind a "load balancer" (the test
picks a random worker for every delivery), one Discord process, one dispatcher. The loopback
Telegram delivers each update the way Telegram does (POST to the webhook, again until a call is
answered 2xx), some of them to both workers at once (Telegram's redelivery after a timeout,
while the first call is still being handled). Discord members send direct messages; members of
both platforms RSVP to an event whose reminder falls due while everything runs. One worker is
then killed while it holds an update (its transaction waits on a lock the test holds), and
Telegram's redelivery reaches the other worker.

What can be counted is counted: every reply, every reminder, every webhook call, the outbox
rows, and the send counters of every process's ``/metrics`` (by platform).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database import Database
from storage.models import Event
from storage.statuses import EventAudience, OutboxStatus
from tests.conftest import PG_ENV, _pg_admin
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, private_chat, user

ROOT = Path(__file__).resolve().parent.parent
SECRET = "several-processes-secret"
DISCORD_TOKEN = "fake-token"
TELEGRAM_PEOPLE = [user(201 + i, name) for i, name in enumerate(["Amina", "Bilal", "Chen", "Dana"])]
DISCORD_PEOPLE = ["Grace", "Hiro", "Ines"]
MISSING = 90_000
"""Event numbers from here on do not exist: ``/rsvp 90001`` is refused, naming the number."""
REMINDER = "starts in 5 minutes"
REMINDER_LEAD = timedelta(seconds=10)
"""The reminder falls due this long after the event is created: the first RSVPs come before
(seven requests), the rest of the traffic while it falls due."""

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """One ``champions-bot run --only ROLE``."""

    name: str
    proc: asyncio.subprocess.Process
    http: int
    webhook: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.webhook}/telegram"

    async def get(self, path: str) -> tuple[int, str]:
        timeout = aiohttp.ClientTimeout(total=5)
        url = f"http://127.0.0.1:{self.http}{path}"
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as answer:
            return answer.status, await answer.text()


def _config(tmp: Path, name: str, tg: FakeTelegram, dc: FakeDiscord, http: int, hook: int) -> Path:
    path = tmp / f"{name}.toml"
    path.write_text(
        f"""
[reminders]
lease_seconds = 3
sweep_seconds = 5
[telegram]
api_base_url = "{tg.base_url}"
mode = "webhook"
listen = "127.0.0.1"
port = {hook}
public_url = "https://bot.example.org/telegram"
[discord]
guild_id = "{GUILD_ID}"
api_base_url = "{dc.api_base_url}"
gateway_url = "{dc.gateway_url}"
[http]
public_url = "https://bot.example.org"
listen = "127.0.0.1"
port = {http}
""",
        encoding="utf-8",
    )
    return path


async def _start(
    tmp: Path, name: str, role: str, url: str, tg: FakeTelegram, dc: FakeDiscord
) -> Process:
    http = hook = _free_port()  # one HTTP server: the webhook is a route of it
    config = _config(tmp, name, tg, dc, http, hook)
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BOT_TOKEN")}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=tg.token,
        DISCORD_BOT_TOKEN=DISCORD_TOKEN,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), "--db", url,
        "--only", role,
        cwd=tmp, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=(tmp / f"{name}.log").open("wb"),
    )  # fmt: skip
    return Process(name, proc, http, hook if role == "telegram" else None)


async def _until(check: Callable[[], Any], within: float, what: str) -> None:
    """Wait for ``check()`` (sync or async) to hold; never a fixed sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.05)


def _more_than(dc: FakeDiscord, channel_id: str, count: int) -> bool:
    """More than ``count`` messages were sent to ``channel_id``."""
    return len([s for s in dc.sent if s.channel_id == channel_id]) > count


async def _ready(process: Process) -> bool:
    if process.proc.returncode is not None:
        raise AssertionError(f"{process.name} exited with {process.proc.returncode}")
    try:
        status, _body = await process.get("/readyz")
    except (aiohttp.ClientError, TimeoutError):
        return False
    return status == 200


async def _sent_by_platform(processes: list[Process]) -> Counter[str]:
    """``champions_outbox_sent_total`` of every process, summed by platform label."""
    total: Counter[str] = Counter()
    for process in processes:
        status, body = await process.get("/metrics")
        assert status == 200
        for family in text_string_to_metric_families(body):
            for sample in family.samples:
                if sample.name == "champions_outbox_sent_total":
                    total[sample.labels["platform"]] += int(sample.value)
    return total


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeDiscord]]:
    telegram = FakeTelegram()
    await telegram.start()
    async with FakeDiscord() as discord:
        yield telegram, discord
        assert discord.violations == []
    await telegram.stop()
    assert telegram.violations == []


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    base = os.environ[PG_ENV]
    name = f"champions_procs_{uuid.uuid4().hex[:8]}"
    await _pg_admin(base, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _add_event(url: str) -> tuple[int, datetime]:
    """An event open to all whose 5-minute reminder falls due :data:`REMINDER_LEAD` from now."""
    now = datetime.now(UTC)
    starts = now + timedelta(minutes=5) + REMINDER_LEAD
    database = Database(url)
    try:
        async with database.unit_of_work() as uow:
            community = await uow.communities.by_slug("champions")
            assert community is not None
            event = await uow.events.add(
                Event(
                    community_id=community.id,
                    title="Gender budgeting 101",
                    starts_at=starts,
                    timezone="UTC",
                    audience=EventAudience.ALL,
                    offsets=[5],
                    created_at=now,
                    updated_at=now,
                )
            )
            return event.id, starts - timedelta(minutes=5)
    finally:
        await database.dispose()


async def _outbox(url: str) -> list[tuple[str, str, str]]:
    database = Database(url)
    try:
        async with database.unit_of_work() as uow:
            rows = await uow.outbox.with_prefix("rem:")
            return [(row.platform, row.chat_id, OutboxStatus(row.status).value) for row in rows]
    finally:
        await database.dispose()


async def test_two_webhook_workers_a_discord_process_and_a_dispatcher_answer_and_remind_once(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeDiscord], database_url: str
) -> None:
    tg, dc = fakes
    rng = random.Random(18)
    grace, hiro, ines = (dc.add_user(name) for name in DISCORD_PEOPLE)
    discord_people = [grace, hiro, ines]
    # All four start together on the fresh database (compose starts its services so).
    processes = list(
        await asyncio.gather(
            _start(tmp_path, "worker-a", "telegram", database_url, tg, dc),
            _start(tmp_path, "worker-b", "telegram", database_url, tg, dc),
            _start(tmp_path, "discord", "discord", database_url, tg, dc),
            _start(tmp_path, "dispatcher", "dispatcher", database_url, tg, dc),
        )
    )
    worker_a, worker_b, discord_process, _dispatcher = processes
    workers = [worker_a, worker_b]
    try:
        for process in processes:
            await _until(partial(_ready, process), 45, f"{process.name} ready")
        assert tg.webhook is not None and tg.webhook["secret_token"] == SECRET

        event_id, reminder_due = await _add_event(database_url)

        # -- Telegram: each update to a random worker; some to both at once -----------------
        def balanced() -> str:
            return rng.choice(workers).url

        asked: dict[int, list[str]] = {}
        joins: list[dict[str, Any]] = []  # first, so that the reminders are queued in time
        updates: list[dict[str, Any]] = []
        missing = iter(range(MISSING, MISSING + 1000))
        for person in TELEGRAM_PEOPLE:
            texts = [f"/rsvp {event_id}", f"/rsvp {event_id}"]
            texts += [f"/rsvp {next(missing)}" for _ in range(3)]
            asked[person["id"]] = texts
            numbered = [tg.numbered(tg.message(private_chat(person), person, t)) for t in texts]
            joins.append(numbered[0])
            updates += numbered[1:]
        rng.shuffle(updates)
        twins = set(rng.sample([u["update_id"] for u in [*joins, *updates]], 6))

        async def send(update: dict[str, Any]) -> None:
            if update["update_id"] in twins:  # the redelivery meets the first call in flight
                await asyncio.gather(
                    tg.deliver(update, lambda: worker_a.url, secret=SECRET),
                    tg.deliver(update, lambda: worker_b.url, secret=SECRET),
                )
            else:
                await tg.deliver(update, balanced, secret=SECRET)

        # -- Discord: direct messages to the Discord process ---------------------------------
        discord_asked: dict[str, list[str]] = {}
        for user in discord_people:
            discord_asked[user] = [f"/rsvp {event_id}", f"/rsvp {next(missing)}"]

        async def discord_says(person: str, lines: slice) -> None:
            dm = f"9{person[1:]}"
            for line in discord_asked[person][lines]:
                before = len([s for s in dc.sent if s.channel_id == dm])
                await dc.dispatch("MESSAGE_CREATE", dc.message_event(person, dm, line, guild=False))
                await _until(
                    partial(_more_than, dc, dm, before),
                    30,
                    f"discord reply to {line}",
                )

        await dc.wait_connected(30)
        await asyncio.gather(
            *(send(u) for u in joins), *(discord_says(p, slice(0, 1)) for p in discord_people)
        )
        assert datetime.now(UTC) < reminder_due, "the RSVPs took longer than REMINDER_LEAD"
        # the rest while the reminder falls due: repeated RSVPs, refusals, twins
        await asyncio.gather(
            *(send(u) for u in updates), *(discord_says(p, slice(1, None)) for p in discord_people)
        )

        # Every webhook call was answered 2xx or retried, so every reply is out by now.
        for person in TELEGRAM_PEOPLE:
            got = [s.text for s in tg.sent_to(person["id"])]
            _check_answers(got, asked[person["id"]], event_id)
        for user in discord_people:
            got = [s.content for s in dc.sent if s.channel_id == f"9{user[1:]}"]
            _check_answers(got, discord_asked[user], event_id)
        assert any(d.status == 200 for d in tg.deliveries if d.url == worker_a.url)
        assert any(d.status == 200 for d in tg.deliveries if d.url == worker_b.url)

        # -- the reminder: due while everything runs, sent once per member -----------------
        people = len(TELEGRAM_PEOPLE) + len(discord_people)

        def reminders() -> list[tuple[str, str]]:
            sent = [("telegram", str(s.chat_id)) for s in tg.sent if REMINDER in s.text]
            return sent + [("discord", s.channel_id) for s in dc.sent if REMINDER in s.content]

        await _until(lambda: len(reminders()) >= people, 45, "every reminder sent")

        async def all_recorded_sent() -> bool:  # the record follows the platform's answer
            rows = await _outbox(database_url)
            return len(rows) == people and {status for *_, status in rows} == {"sent"}

        await _until(all_recorded_sent, 20, "every reminder row recorded sent")
        assert sorted(Counter(reminders()).values()) == [1] * people
        chats = {str(p["id"]) for p in TELEGRAM_PEOPLE} | {f"9{p[1:]}" for p in discord_people}
        assert {chat for _platform, chat in reminders()} == chats
        # every process counts its own sends, by platform: together they sent each row once
        await _until(lambda: _all_sends_counted(processes, people), 20, "sends counted in /metrics")

        # -- kill -9 of a worker that holds an update ------------------------------------------
        amina = TELEGRAM_PEOPLE[0]
        held_number = next(missing)
        held = tg.numbered(tg.message(private_chat(amina), amina, f"/rsvp {held_number}"))
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as lock:
                await lock.execute(text("LOCK TABLE processed_updates IN EXCLUSIVE MODE"))
                pool = [worker_a]  # the balancer's choice until it sees worker A is gone
                delivery = asyncio.create_task(
                    tg.deliver(held, lambda: rng.choice(pool).url, secret=SECRET, answer_within=5)
                )

                async def waiting_on_the_lock() -> bool:
                    async with engine.connect() as probe:
                        found = await probe.scalar(
                            text(
                                "SELECT count(*) FROM pg_stat_activity"
                                " WHERE wait_event_type = 'Lock'"
                                " AND query ILIKE '%INSERT INTO processed_updates%'"
                            )
                        )
                    return bool(found)

                await _until(waiting_on_the_lock, 20, "worker A waits inside the update")
                worker_a.proc.send_signal(signal.SIGKILL)
                assert await asyncio.wait_for(worker_a.proc.wait(), 10) == -signal.SIGKILL
                pool[:] = [worker_b]
                await lock.rollback()  # the lock goes; worker A's transaction never commits
            calls = await asyncio.wait_for(delivery, 60)
        finally:
            await engine.dispose()
        assert calls >= 2  # the call to the killed worker got no answer; Telegram delivered again
        calls_made = [d for d in tg.deliveries if d.update_id == held["update_id"]]
        assert calls_made[0].url == worker_a.url and calls_made[0].status is None
        assert calls_made[-1].url == worker_b.url and calls_made[-1].status == 200
        asked[amina["id"]].append(f"/rsvp {held_number}")
        _check_answers([s.text for s in tg.sent_to(amina["id"])], asked[amina["id"]], event_id)

        # nothing more comes: the outbox holds nothing unsent, no duplicate reached any chat
        rows = await _outbox(database_url)
        assert {status for *_, status in rows} == {"sent"}
        assert len(reminders()) == people
        for person in TELEGRAM_PEOPLE:
            counts = Counter(s.text for s in tg.sent_to(person["id"]))
            repeated = {t: n for t, n in counts.items() if n > 1 and "already joined" not in t}
            assert not repeated, repeated
        assert worker_b.proc.returncode is None and discord_process.proc.returncode is None
    finally:
        for process in processes:
            if process.proc.returncode is None:
                process.proc.send_signal(signal.SIGTERM)
        for process in processes:
            if process.proc.returncode is None:
                try:
                    await asyncio.wait_for(process.proc.wait(), 30)
                except TimeoutError:
                    process.proc.kill()
    for process in (p for p in processes if p is not worker_a):
        assert process.proc.returncode == 0, (tmp_path / f"{process.name}.log").read_text()
        log = (tmp_path / f"{process.name}.log").read_text()
        assert "Traceback" not in log, log


def _check_answers(got: list[str], asked: list[str], event_id: int) -> None:
    """One reply per update: the first RSVP joins, the others are told they had joined, each
    missing event is refused once (its number named). Reminders are counted apart."""
    got = [t for t in got if REMINDER not in t]
    joins = [t for t in got if "You're in for" in t]
    again = [t for t in got if "already joined" in t]
    rsvps = asked.count(f"/rsvp {event_id}")
    assert len(joins) == 1 and len(again) == rsvps - 1, got
    for line in asked:
        number = line.split()[1]
        if int(number) >= MISSING:
            assert len([t for t in got if f"#{number}" in t]) == 1, (number, got)
    assert len(got) == len(asked), got


async def _all_sends_counted(processes: list[Process], people: int) -> bool:
    alive = [p for p in processes if p.proc.returncode is None]
    sent = await _sent_by_platform(alive)
    return sent == Counter(telegram=len(TELEGRAM_PEOPLE), discord=people - len(TELEGRAM_PEOPLE))
