"""The outbox backlog the metrics show, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.messages import Platform, Recipient, Reply
from bot.delivery import outbox
from storage.database import Database
from storage.repositories.outbox import Backlog

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def test_backlog_by_kind_counts_waiting_and_due_rows(db_url: str) -> None:
    database = Database(db_url)
    await database.upgrade()
    rows = [
        ("reminder", "a", NOW - timedelta(minutes=3)),
        ("reminder", "b", NOW - timedelta(minutes=1)),
        ("reminder", "c", NOW + timedelta(hours=1)),
        ("announcement", "d", NOW + timedelta(minutes=5)),
        ("announcement", "e", NOW - timedelta(minutes=9)),  # sent below: not waiting
    ]
    try:
        async with database.unit_of_work() as uow:
            await uow.outbox.enqueue_many(
                [
                    outbox.message(
                        f"k:{chat}", kind, Recipient(Platform.CONSOLE, chat), Reply.text("x"), due
                    )
                    for kind, chat, due in rows
                ],
                now=NOW,
            )
            sent = await uow.outbox.get("k:e")
            assert sent is not None
            await uow.outbox.mark_sent(sent.id, message_id="1", now=NOW)
        async with database.unit_of_work() as uow:
            backlog = await uow.outbox.backlog(NOW)
        await database.ping()  # answers (raises otherwise)
    finally:
        await database.dispose()
    assert backlog == [
        Backlog("announcement", waiting=1, due=0, oldest_due_at=None),
        Backlog("reminder", waiting=3, due=2, oldest_due_at=NOW - timedelta(minutes=3)),
    ]
