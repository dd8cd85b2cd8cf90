"""Updates of different chats and people at once, each chat's and each person's in order.

Through the real python-telegram-bot against the loopback Bot API: a slow admin command does
not hold another member's ``/help``; 200 updates from 20 chats with random handling times are
each answered once, in order in every chat and for every person; the offset confirmed to
Telegram never passes an update not handled yet; a graceful stop lets the update in flight
finish and confirms it (or, past the bound, leaves it with Telegram).
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.clock import ManualClock
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Reply
from bot.core.registry import Audience, CommandSpec
from tests.adapters.telegram.conftest import AMINA, FAST, SOFIA, telegram_settings
from tests.fakes.telegram_api import FakeTelegram, group_chat, private_chat, user

TUNING = replace(FAST, overall_per_second=10_000)
WORK = re.compile(r"^done n(\d+) u(\d+)$")


class Slow:
    """``/slowreport``: an admin command that runs until the test lets it finish."""

    def __init__(self, app: BotApp) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.finished = False

        async def slowreport(ctx: CommandContext, **_: Any) -> Reply:
            self.started.set()
            await self.release.wait()
            self.finished = True
            return ctx.reply("report ready")

        app.registry.add(
            CommandSpec(
                ("slowreport",), N_("List what I can do for you"), slowreport,
                audience=Audience.ADMIN,
            )
        )  # fmt: skip


@pytest.fixture
async def app(db_url: str, fake: FakeTelegram, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(telegram_settings(db_url, fake), clock=clock)
    yield bot_app
    await bot_app.close()


async def started(app: BotApp, fake: FakeTelegram, **tuning: Any) -> TelegramAdapter:
    adapter = TelegramAdapter(app, app.settings, fake.token, tuning=replace(TUNING, **tuning))
    await adapter.start()
    return adapter


async def until(predicate: Any, within: float = 5.0) -> None:
    for _ in range(int(within / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


def record_handled(adapter: TelegramAdapter, fake: FakeTelegram) -> dict[int, int]:
    """update id → how many getUpdates calls had arrived when its handling returned."""
    handled: dict[int, int] = {}
    original = adapter.handle_update

    async def recording(update: Any) -> None:
        await original(update)
        handled[update.update_id] = len(fake.offsets)

    adapter.handle_update = recording
    return handled


def assert_only_handled_confirmed(
    fake: FakeTelegram, handled: dict[int, int], ids: list[int]
) -> None:
    """Each getUpdates offset passes only updates whose handling had returned before it."""
    for index, offset in enumerate(fake.offsets):
        for number in ids:
            if number < offset:
                assert number in handled and handled[number] <= index, (
                    f"offset {offset} (call {index}) confirmed update {number} before it was "
                    f"handled (at {handled.get(number)})"
                )


async def test_a_slow_admin_command_does_not_hold_another_members_help(
    app: BotApp, fake: FakeTelegram, db_url: str, request: pytest.FixtureRequest
) -> None:
    slow = Slow(app)
    adapter = await started(app, fake)
    handled = record_handled(adapter, fake)
    try:
        # Both are known to the bot (a first contact writes the new member at once, and on
        # SQLite a write holds the one write lock until the commit). A known member's
        # read-only request writes only its update's record, last.
        for person in (SOFIA, AMINA):
            await fake.push(fake.message(private_chat(person), person, "/help"))
            await fake.wait_for(lambda p=person: len(fake.sent_to(p["id"])) >= 1, 5)
        fake.sent.clear()
        report = await fake.push(fake.message(private_chat(SOFIA), SOFIA, "/slowreport"))
        await asyncio.wait_for(slow.started.wait(), 10)
        helped = await fake.push(fake.message(private_chat(AMINA), AMINA, "/help"))
        await fake.wait_for(lambda: len(fake.sent_to(AMINA["id"])) >= 1, 5)
        assert not slow.finished  # answered while the report still runs
        await until(lambda: helped in handled)
        assert report not in handled
        assert fake.sent_to(SOFIA["id"]) == []
        assert max(fake.offsets) <= report  # the report is in flight: not confirmed

        slow.release.set()
        await fake.wait_for(lambda: len(fake.sent_to(SOFIA["id"])) == 1, 5)
        assert fake.sent_to(SOFIA["id"])[0].text == "report ready"
        await fake.wait_for(lambda: max(fake.offsets) > helped, 5)  # both confirmed at last
        assert_only_handled_confirmed(fake, handled, [report, helped])
    finally:
        slow.release.set()
        await adapter.stop()


def add_work(app: BotApp, seed: int, began: list[tuple[int, int]]) -> None:
    """``/work nI uP``: takes a random 0-30 ms, answers
    ``done nI uP``; notes the order the handlers began in."""
    latency = random.Random(seed)

    async def work(ctx: CommandContext, number: str, person: str) -> Reply:
        began.append((int(number[1:]), int(person[1:])))
        await asyncio.sleep(latency.random() * 0.03)
        return ctx.reply(f"done {number} {person}")

    app.registry.add(
        CommandSpec(
            ("work",), N_("List what I can do for you"), work,
            args=(
                ArgSpec("number", ArgKind.WORD, N_("List what I can do for you")),
                ArgSpec("person", ArgKind.WORD, N_("List what I can do for you")),
            ),
        )
    )  # fmt: skip


async def test_200_updates_of_20_chats_each_answered_once_in_order_per_chat_and_person(
    app: BotApp, fake: FakeTelegram
) -> None:
    rng = random.Random(17)
    people = [user(3000 + i, f"P{i}") for i in range(20)]
    groups = [group_chat(-4000 - i, f"Group {i}") for i in range(10)]
    began: list[tuple[int, int]] = []
    add_work(app, 17, began)
    adapter = await started(app, fake)
    handled = record_handled(adapter, fake)
    chat_of: dict[int, int] = {}
    person_of: dict[int, int] = {}
    ids: list[int] = []
    try:
        for index in range(200):
            who = rng.randrange(20)
            person = people[who]
            # ten people also write privately; everyone writes in the ten groups
            chat = private_chat(person) if who < 10 and rng.random() < 0.4 else rng.choice(groups)
            chat_of[index], person_of[index] = int(chat["id"]), who
            ids.append(await fake.push(fake.message(chat, person, f"/work n{index} u{who}")))
            if rng.random() < 0.1:
                await asyncio.sleep(0.01)  # arrivals in bursts, some while others run
        done = lambda: [(int(m[1]), int(m[2])) for s in fake.sent if (m := WORK.match(s.text))]  # noqa: E731
        await fake.wait_for(lambda: len(done()) >= 200, 60)
        await asyncio.sleep(0.3)  # anything sent twice would show now

        answers = done()
        assert Counter(n for n, _ in answers) == Counter(range(200))  # each once
        assert len(set(chat_of.values())) == 20
        for chat_id in set(chat_of.values()):
            in_chat = [int(m[1]) for s in fake.sent_to(chat_id) if (m := WORK.match(s.text))]
            assert in_chat == sorted(in_chat), f"replies out of order in chat {chat_id}"
        for who in range(20):
            theirs = [n for n, p in answers if p == who]
            assert theirs == sorted(theirs), f"replies to person {who} out of order"
            started_order = [n for n, p in began if p == who]
            assert started_order == sorted(started_order), f"person {who} handled out of order"
        assert began != sorted(began), "everything ran one at a time"  # it did run at once
        await fake.wait_for(lambda: max(fake.offsets) > ids[-1], 5)
        assert_only_handled_confirmed(fake, handled, ids)
    finally:
        await adapter.stop()


async def test_a_graceful_stop_finishes_the_update_in_flight_and_confirms_it(
    app: BotApp, fake: FakeTelegram, db_url: str
) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("adapter behaviour, database-independent: SQLite is enough")
    slow = Slow(app)
    adapter = await started(app, fake, drain_seconds=10.0)
    report = await fake.push(fake.message(private_chat(SOFIA), SOFIA, "/slowreport"))
    await asyncio.wait_for(slow.started.wait(), 10)
    stopping = asyncio.create_task(adapter.stop())
    await asyncio.sleep(0.2)
    assert not stopping.done()  # waits for the report
    slow.release.set()
    await asyncio.wait_for(stopping, 10)
    assert [s.text for s in fake.sent_to(SOFIA["id"])] == ["report ready"]
    assert fake.offsets[-1] == report + 1  # confirmed at the stop


async def test_a_stop_past_its_bound_leaves_the_unfinished_update_with_telegram(
    app: BotApp, fake: FakeTelegram, db_url: str, clock: ManualClock
) -> None:
    if db_url.startswith("postgresql"):
        pytest.skip("adapter behaviour, database-independent: SQLite is enough")
    slow = Slow(app)
    adapter = await started(app, fake, drain_seconds=0.3)
    report = await fake.push(fake.message(private_chat(SOFIA), SOFIA, "/slowreport"))
    await asyncio.wait_for(slow.started.wait(), 10)
    await asyncio.wait_for(adapter.stop(), 5)
    assert fake.sent_to(SOFIA["id"]) == [] and not slow.finished
    assert max(fake.offsets) <= report  # it comes again at the next start

    slow.release.set()  # the next start handles it (the report now finishes at once)
    again = await started(app, fake)
    try:
        await fake.wait_for(lambda: len(fake.sent_to(SOFIA["id"])) == 1, 10)
        assert fake.sent_to(SOFIA["id"])[0].text == "report ready"
    finally:
        await again.stop()


async def test_webhook_calls_of_different_chats_run_at_once_and_max_connections_is_set(
    app: BotApp, fake: FakeTelegram, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer (see the test above): PostgreSQL shows the overlap")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    settings = telegram_settings(
        db_url, fake, mode="webhook", listen="127.0.0.1", port=port,
        public_url="https://bot.example.org/hook",
    )  # fmt: skip
    slow = Slow(app)
    adapter = TelegramAdapter(app, settings, fake.token, tuning=TUNING)
    await adapter.start()
    url = f"http://127.0.0.1:{port}/hook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    report = {"update_id": 9001, **fake.message(private_chat(SOFIA), SOFIA, "/slowreport")}
    helped = {"update_id": 9002, **fake.message(private_chat(AMINA), AMINA, "/help")}
    try:
        assert fake.webhook is not None and fake.webhook["max_connections"] == "32"
        async with aiohttp.ClientSession() as session:
            slow_call = asyncio.create_task(session.post(url, json=report, headers=headers))
            await asyncio.wait_for(slow.started.wait(), 10)
            quick = aiohttp.ClientTimeout(total=5)  # one at a time, it would wait for ever
            async with session.post(url, json=helped, headers=headers, timeout=quick) as response:
                assert response.status == 200  # answered while the report runs
            assert len(fake.sent_to(AMINA["id"])) == 1 and not slow.finished
            slow.release.set()
            async with await slow_call as response:
                assert response.status == 200
        assert [s.text for s in fake.sent_to(SOFIA["id"])] == ["report ready"]
    finally:
        slow.release.set()
        await adapter.stop()
