"""Rows queued before an upgrade are still delivered after it, with their platform hints.

``tests/data/outbox-rows-v1.jsonl`` holds three outbox rows exactly as the bot stored them
before replies had typed hints (commit 10d4d35, the unversioned format with an ``extra`` dict):
``/ask`` posted to a Telegram advice group (``open_thread``), ``/solved`` shown there
(``thread_state``, ``thread_title``, ``reply_to``) and ``/announce ping`` to a Discord channel
(``ping_role``). They were read from the ``outbox`` table of a SQLite database after running
those commands, and are inserted here as that stored text.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, String, cast, insert, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Button, Platform, ThreadState, ThreadStatus
from bot.delivery.dispatcher import Dispatcher
from storage.models import OutboxMessage
from storage.statuses import OutboxStatus
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say

ROWS = Path(__file__).parents[2] / "data" / "outbox-rows-v1.jsonl"
TITLE = "Q1 · How do councils budget for childcare at meetings?"


def stored(raw: str, dialect: str) -> ColumnElement[Any]:
    """The payload column set to this exact JSON text (not re-encoded by SQLAlchemy)."""
    text = type_coerce(raw, String)
    return cast(text, JSON) if dialect == "postgresql" else text


async def insert_old_rows(app: BotApp) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in ROWS.read_text(encoding="utf-8").splitlines()]
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        bind = uow.session.bind
        assert bind is not None
        dialect = bind.dialect.name
        for row in rows:
            old = json.loads(row["payload"])["reply"]
            assert "extra" in old and "v" not in old  # the unversioned format
            await uow.session.execute(
                insert(OutboxMessage).values(
                    {
                        **row,
                        "payload": stored(row["payload"], dialect),
                        "due_at": now,
                        "status": OutboxStatus.PENDING,
                        "attempts": 0,
                        "created_at": now,
                    }
                )
            )
    return rows


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    yield bot_app
    await bot_app.close()


async def test_rows_stored_before_typed_hints_are_delivered_with_them(
    app: BotApp, clock: ManualClock
) -> None:
    # Q1 exists (no advice group is configured now, so asking queues nothing itself).
    await say(app, "amina", "/ask How do councils budget for childcare at meetings?")
    await insert_old_rows(app)
    telegram = RecordingMessenger(clock, platform=Platform.TELEGRAM)
    discord = RecordingMessenger(clock, platform=Platform.DISCORD)
    app.add_messenger(telegram)
    app.add_messenger(discord)

    report = await Dispatcher(app).run_due()

    assert (report.sent, report.failed, report.retried) == (3, 0, 0)
    [card] = [d for d in telegram.to("-100") if d.text.startswith(TITLE)]
    [solved] = [d for d in telegram.to("-100") if d.text == "✅ Q1 is solved."]
    assert card.reply.open_thread == TITLE
    assert card.reply.buttons == ((Button("Show thread", "thread 1"),),)
    assert (card.reply.thread, card.reply.reply_to, card.reply.ping_role) == (None, None, False)
    assert solved.reply.thread == ThreadState(ThreadStatus.SOLVED, TITLE)
    assert solved.reply.reply_to == "1"
    assert solved.reply.open_thread is None
    [announcement] = discord.to("42")
    assert announcement.reply.ping_role is True
    assert "Webinar tomorrow" in announcement.text
    async with app.database.unit_of_work() as uow:
        assert dict(await uow.outbox.counts()) == {"sent": 3}
        # The question card's after-send hook ran too: answers will be relayed there.
        [mirror] = await uow.advice.mirrors(1)
        assert (mirror.platform, mirror.chat_id) == ("telegram", "-100") and mirror.message_id
