"""Storage unreachable for a while during a stream of updates, through the real PTB.

Every update is answered exactly once after storage is back, in order in every chat; each
person who wrote during the outage is told once that the answer is coming; nothing is
confirmed to Telegram before it was handled, so a process that gives up leaves the held
updates with Telegram for the next one. On SQLite (its folder moved away) and on PostgreSQL
(the connections cut by a TCP forwarder) when ``TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import AdminsConfig, Settings, StorageConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.health import HELD_NOTICE
from tests.adapters.telegram.conftest import FAST, GROUP
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.outage import Outage, add_echo, log_lines, outage_for, outage_settings

TUNING = replace(FAST, peek_seconds=0.1)
PEOPLE = [user(201 + i, f"Person{i}") for i in range(4)]
NOTICE = Translator("en").gettext(HELD_NOTICE)
ECHO = re.compile(r"^echo n(\d+)$")


@pytest.fixture(params=["sqlite", "postgresql"])
async def outage(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> AsyncIterator[Outage]:
    switch = await outage_for(request.param, tmp_path, postgres_url)
    yield switch
    await switch.close()


def settings_for(outage: Outage, fake: FakeTelegram, **storage: Any) -> Settings:
    return make_settings(
        outage.url,
        storage=StorageConfig(url=outage.url, **outage_settings(**storage)),
        admins=AdminsConfig(),
        telegram=TelegramConfig(api_base_url=fake.base_url),
    )


async def started(settings: Settings, outage: Outage, clock: ManualClock) -> BotApp:
    app = await BotApp.start(settings, clock=clock)
    add_echo(app)
    outage.attach(app)
    return app


def chat_of(index: int) -> dict[str, Any]:
    """Three people write privately, the fourth in the group."""
    person = PEOPLE[index % 4]
    return GROUP if index % 4 == 3 else private_chat(person)


async def push_echo(fake: FakeTelegram, index: int) -> int:
    return await fake.push(fake.message(chat_of(index), PEOPLE[index % 4], f"/echo n{index}"))


def echoes(fake: FakeTelegram) -> list[int]:
    return [int(m.group(1)) for s in fake.sent if (m := ECHO.match(s.text))]


def offsets_asked(fake: FakeTelegram, since: int) -> list[int]:
    return [
        int(c.params["offset"])
        for c in fake.calls[since:]
        if c.method == "getUpdates" and c.params.get("offset")
    ]


async def test_every_update_of_an_outage_is_answered_once_when_storage_is_back(
    fake: FakeTelegram, outage: Outage, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    app = await started(settings_for(outage, fake), outage, clock)
    probe = asyncio.create_task(app.health.watch(app.database.check))
    adapter = TelegramAdapter(app, app.settings, fake.token, tuning=TUNING)
    await adapter.start()
    try:
        with log_lines(caplog) as logged:
            for index in range(10):
                await push_echo(fake, index)
            await fake.wait_for(lambda: len(echoes(fake)) == 10)

            await outage.cut()
            calls_at_cut = len(fake.calls)
            first_held = await push_echo(fake, 10)
            for index in range(11, 30):
                await push_echo(fake, index)
                await asyncio.sleep(0.02)
            # everyone who wrote is told once, while nothing after the first held is answered
            await fake.wait_for(lambda: [s.text for s in fake.sent].count(NOTICE) == 4, 10)
            await asyncio.sleep(0.5)
            # (each chat in order, checked below; chats run at once, so not in one global order)
            assert sorted(echoes(fake)) == list(range(10))
            assert not app.health.ready and app.health.reason is not None
            # Telegram was never told an update from the first held one on was handled
            assert max(offsets_asked(fake, calls_at_cut)) <= first_held

            await outage.restore()
            for index in range(30, 40):
                await push_echo(fake, index)
            await fake.wait_for(lambda: len(echoes(fake)) >= 40, 20)
            await asyncio.sleep(0.3)  # anything sent twice would show now

        assert Counter(echoes(fake)) == Counter(range(40))  # each answered exactly once
        for chat in {str(chat_of(i)["id"]) for i in range(4)}:
            in_chat = [int(m[1]) for s in fake.sent_to(int(chat)) if (m := ECHO.match(s.text))]
            assert in_chat == sorted(in_chat), f"out of order in chat {chat}"
            told = [s.text for s in fake.sent_to(int(chat))].count(NOTICE)
            assert told == 1, f"chat {chat} told {told} times"
        assert app.health.ready and app.health.outages == 1
        assert app.health.last_storage_ok is not None
        lines = [r.getMessage() for r in logged]
        assert sum(line.startswith("storage lost") for line in lines) == 1, lines
        assert sum(line.startswith("storage back") for line in lines) == 1, lines
        assert [r for r in logged if r.exc_info] == [], "a traceback was logged"
    finally:
        await adapter.stop()
        probe.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await probe
        await app.close()


async def test_a_bot_that_gives_up_leaves_the_held_update_with_telegram(
    fake: FakeTelegram, outage: Outage, clock: ManualClock
) -> None:
    settings = settings_for(outage, fake, give_up_after_seconds=0.5)
    app = await started(settings, outage, clock)
    probe = asyncio.create_task(app.health.watch(app.database.check))
    adapter = TelegramAdapter(app, settings, fake.token, tuning=TUNING)
    await adapter.start()
    await outage.cut()
    held = await push_echo(fake, 1)
    await asyncio.wait_for(app.health.gave_up.wait(), 10)
    assert not app.health.ready and "exiting" in (app.health.reason or "")
    await asyncio.wait_for(adapter.serve(), 5)  # polling ends: the runner exits with status 1
    calls_before_stop = len(fake.calls)
    await adapter.stop()
    assert max(offsets_asked(fake, calls_before_stop), default=0) <= held  # not confirmed
    probe.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await probe
    await app.close()

    await outage.restore()  # the supervisor starts the bot again
    again = await started(settings, outage, clock)
    adapter = TelegramAdapter(again, settings, fake.token, tuning=TUNING)
    await adapter.start()
    try:
        await fake.wait_for(lambda: echoes(fake) == [1], 10)
        await asyncio.sleep(0.3)
        assert echoes(fake) == [1]
    finally:
        await adapter.stop()
        await again.close()


async def ready(app: BotApp) -> None:
    for _ in range(200):
        if app.health.ready:
            return
        await asyncio.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_refuses_a_held_update_until_storage_is_back(
    fake: FakeTelegram,
    outage: Outage,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret")
    port = _free_port()
    settings = settings_for(outage, fake).model_copy(
        update={
            "telegram": TelegramConfig(
                api_base_url=fake.base_url,
                mode="webhook",
                listen="127.0.0.1",
                port=port,
                public_url="https://bot.example.org/hook",
            )
        }
    )
    app = await started(settings, outage, clock)
    probe = asyncio.create_task(app.health.watch(app.database.check))
    adapter = TelegramAdapter(app, settings, fake.token, tuning=TUNING)
    await adapter.start()
    person = PEOPLE[0]
    update = {"update_id": 7001, **fake.message(private_chat(person), person, "/echo n1")}
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    url = f"http://127.0.0.1:{port}/hook"
    try:
        async with aiohttp.ClientSession() as session:
            await outage.cut()
            for _ in range(3):  # Telegram delivers it again and again while we refuse it
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 503
            await outage.restore()
            await asyncio.wait_for(ready(app), 10)
            for _ in range(2):  # accepted, then a stray redelivery: one answer
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 200
        assert echoes(fake) == [1]
        assert [s.text for s in fake.sent_to(person["id"])].count(NOTICE) == 1
    finally:
        await adapter.stop()
        probe.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await probe
        await app.close()
