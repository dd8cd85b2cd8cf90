"""The outbox repository on a real SQLite file and on the real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.messages import Platform, Recipient, Reply
from bot.delivery import outbox
from storage.database import Database
from storage.repositories.outbox import NewMessage

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _row(key: str, due: datetime, platform: Platform = Platform.CONSOLE) -> NewMessage:
    return outbox.message(key, "test", Recipient(platform, key), Reply.text(key), due)


async def test_outbox_lifecycle(db_url: str) -> None:
    database = Database(db_url)
    await database.upgrade()
    try:
        async with database.unit_of_work() as uow:
            rows = [
                _row("a", T0),
                _row("b", T0 - timedelta(minutes=1)),
                _row("c", T0 + timedelta(hours=1)),
                _row("d", T0, Platform.TELEGRAM),
                _row("rem:1_%:x", T0 + timedelta(hours=2)),
                _row("rem:1ab:x", T0 + timedelta(hours=2)),
            ]
            assert await uow.outbox.enqueue_many(rows, now=T0) == 6
            assert await uow.outbox.enqueue_many([_row("a", T0), _row("e", T0)], now=T0) == 1
            assert await uow.outbox.next_due_at() == T0 - timedelta(minutes=1)
            assert await uow.outbox.next_due_at(["telegram"]) == T0
        async with database.unit_of_work() as uow:
            # LIKE wildcards in a key prefix are taken literally.
            assert await uow.outbox.delete_pending("rem:1_%:") == ["rem:1_%:x"]
        async with database.unit_of_work() as uow:
            claimed = await uow.outbox.claim_due(
                limit=2, worker_id="w", now=T0, platforms=["console"]
            )
            assert [row.idempotency_key for row in claimed] == ["b", "a"]
            assert all(row.status == "sending" and row.attempts == 1 for row in claimed)
            again = await uow.outbox.claim_due(
                limit=10, worker_id="w2", now=T0, platforms=["console"]
            )
            assert [row.idempotency_key for row in again] == ["e"]
        async with database.unit_of_work() as uow:
            await uow.outbox.mark_sent(claimed[0].id, message_id="m1", now=T0)
            status = await uow.outbox.mark_failed(
                claimed[1].id, error="timeout", now=T0, retryable=True, max_attempts=3
            )
            assert status == "pending"
            assert await uow.outbox.release([again[0].id], worker_id="someone else") == 0
            assert await uow.outbox.release([again[0].id], worker_id="w2") == 1
        async with database.unit_of_work() as uow:
            retried = await uow.outbox.get("a")
            assert retried is not None and retried.due_at == T0 + timedelta(seconds=30)
            released = await uow.outbox.get("e")
            assert released is not None and (released.status, released.attempts) == ("pending", 0)
            stuck = await uow.outbox.claim_due(limit=1, worker_id="dead", now=T0)
            assert [row.idempotency_key for row in stuck] == ["d"]
        async with database.unit_of_work() as uow:
            assert await uow.outbox.recover_stale(claimed_before=T0) == 0
            assert await uow.outbox.recover_stale(claimed_before=T0 + timedelta(minutes=5)) == 1
            later = T0 + timedelta(minutes=20)
            cutoff = later - timedelta(minutes=15)
            assert await uow.outbox.mark_missed(due_before=cutoff, kinds=["reminder"]) == 0
            assert await uow.outbox.mark_missed(due_before=cutoff, kinds=["test"]) == 3
            missed = [row.idempotency_key for row in await uow.outbox.missed()]
            assert sorted(missed) == ["a", "d", "e"]
            assert await uow.outbox.counts() == {"sent": 1, "missed": 3, "pending": 2}
    finally:
        await database.dispose()
