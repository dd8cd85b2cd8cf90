"""Filling the outbox and running the dispatcher until nothing waits."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Platform, Recipient, Reply
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import NewMessage

DUE = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def chat_rows(
    chats: int,
    per_chat: int,
    *,
    kind: str = "advice.answer",
    platform: Platform = Platform.TELEGRAM,
    private: bool = False,
    label: str = "",
) -> list[NewMessage]:
    """``per_chat`` messages to each of ``chats`` chats, interleaved as a fan-out makes them;
    message ``n`` to chat ``c`` reads ``{label}c{c}:{n}``."""
    return [
        outbox.message(
            f"{kind}:c{c}:{n}",
            kind,
            Recipient(platform, f"c{c}", private=private),
            Reply.text(f"{label}c{c}:{n}"),
            DUE,
        )
        for n in range(per_chat)
        for c in range(chats)
    ]


async def enqueue(app: BotApp, rows: list[NewMessage]) -> None:
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(rows, now=app.clock.now())


async def statuses(app: BotApp) -> Counter[str]:
    async with app.database.unit_of_work() as uow:
        return Counter(await uow.outbox.counts())


async def drain(dispatcher: Dispatcher, clock: ManualClock, *, passes: int = 200) -> int:
    """Run passes, moving the clock to each retry, until nothing waits; returns the passes."""
    for count in range(1, passes + 1):
        await dispatcher.run_due()
        due = await dispatcher.next_due_at()
        if due is None:
            return count
        clock.set(max(due, clock.now()))
    raise AssertionError(f"rows still waiting after {passes} passes")
