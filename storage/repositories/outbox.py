"""The outbox: messages that must be sent once, claimed atomically by dispatchers.

Lifecycle of a row: ``pending`` → (claim) ``sending`` → ``sent``; or back to ``pending`` with a
later ``due_at`` after a retryable failure; ``failed`` after too many attempts or a permanent
error; ``missed`` when it was not sent within the grace window after its due time;
``unconfirmed`` when a send may have reached the platform and the chat cannot be checked.

Each chat is a queue in ``(order_at, id)`` order: a row is claimed only when no earlier row of
its chat is still waiting for a retry or being sent by another dispatcher, so a chat's messages
leave one after the other, in order, and a failed row holds the later ones back until it is
sent or given up.

Claims are atomic so two processes never send the same row: on PostgreSQL claimers take turns
(a transaction-level advisory lock) and lock the due rows ``FOR UPDATE``; on SQLite one
``UPDATE ... WHERE status = 'pending' RETURNING`` does it (SQLite has one writer at a time).
A claim lives as long as its dispatcher's lease (:mod:`storage.repositories.leases`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    Update,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import DispatcherWorker, OutboxMessage
from storage.repositories.personal_data import mentions_any
from storage.statuses import FINAL_OUTBOX_STATUSES, OutboxStatus

CLAIM_LOCK = 0x6F7574626F78
"""PostgreSQL advisory lock key taken by each claim: claimers take turns, so a claim always
sees what the previous one took (and never starts a chat another claimer is starting)."""


NORMAL_PRIORITY = 2
"""The priority of a row enqueued without one (``bot.delivery.priority.NORMAL``)."""

NOTIFY_CHANNEL = "champions_outbox"
"""PostgreSQL channel notified (on commit) when rows are queued: every dispatcher listening
wakes up at once, in every process (``bot.delivery.notify``)."""


@dataclass(frozen=True)
class NewMessage:
    """What to enqueue: one row of the outbox."""

    idempotency_key: str
    kind: str
    platform: str
    chat_id: str
    payload: dict[str, Any]
    due_at: datetime
    thread_id: str | None = None
    private: bool = False
    member_id: int | None = None
    community_id: int | None = None
    priority: int = NORMAL_PRIORITY
    """Lower leaves first (``bot.delivery.priority`` sets it from the kind)."""


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th failed try: 30 s, 1 min, 2 min... at most 30 min."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(minutes=30))


def mark_sent_statement(row_id: int, message_id: str | None, now: datetime) -> Update:
    """The statement that records one send."""
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(status=OutboxStatus.SENT, sent_at=now, sent_message_id=message_id, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_sent_many(
    sends: Sequence[tuple[int, str | None, datetime]],
) -> tuple[Update, list[dict[str, Any]]]:
    """One statement and its parameter sets recording many sends at once (executemany).

    Used on a bare connection by the dispatcher's group commit: the hot path of a fan-out.
    """
    table = cast(Table, OutboxMessage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            status=OutboxStatus.SENT,
            sent_at=bindparam("b_sent_at", type_=table.c.sent_at.type),
            sent_message_id=bindparam("b_message_id"),
            last_error=None,
        )
    )
    params = [{"b_id": i, "b_message_id": m, "b_sent_at": at} for i, m, at in sends]
    return statement, params


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox for one kind of message (for metrics)."""

    kind: str
    waiting: int
    """Rows not sent yet (pending or being sent), due now or later."""
    due: int
    """Of those, the rows already due."""
    oldest_due_at: datetime | None
    """The due time of the oldest row already due, if any."""


class OutboxRepository:
    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    # enqueue ------------------------------------------------------------------------

    async def enqueue(self, message: NewMessage, *, now: datetime) -> bool:
        """Insert ``message`` unless its key exists already; True when a row was added."""
        return await self.enqueue_many([message], now=now) == 1

    async def enqueue_many(self, messages: Sequence[NewMessage], *, now: datetime) -> int:
        """Insert many rows, silently skipping keys that exist (whatever their status)."""
        if not messages:
            return 0
        rows = [
            {
                "idempotency_key": m.idempotency_key,
                "kind": m.kind,
                "platform": m.platform,
                "chat_id": m.chat_id,
                "thread_id": m.thread_id,
                "private": m.private,
                "member_id": m.member_id,
                "community_id": m.community_id,
                "payload": m.payload,
                "due_at": m.due_at,
                "order_at": m.due_at,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "created_at": now,
                "priority": m.priority,
            }
            for m in messages
        ]
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        # One statement compiled once, the rows given as parameter sets: SQLAlchemy's
        # "insertmanyvalues" writes them in multi-row INSERTs as plain text. A multi-row
        # ``.values(rows)`` was compiled anew for every 500 rows, 7,500 bound parameters each:
        # 85% of the CPU of a 30k fan-out (docs/performance.md, *Fan-outs*). The rows that
        # were new come back (RETURNING): a known key is skipped and not counted.
        table = cast(Table, OutboxMessage.__table__)
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(table.c.id)
        )
        inserted = 0
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            inserted += len((await self.session.execute(statement, chunk)).all())
            await self._inherit_priorities(chunk)
        if inserted and self.dialect == "postgresql":
            # Delivered to every listening process when this transaction commits.
            await self.session.execute(select(func.pg_notify(NOTIFY_CHANNEL, "")))
        return inserted

    async def _inherit_priorities(self, rows: Sequence[dict[str, Any]]) -> None:
        """Give each pending row of the chats just written the priority of the most urgent
        pending row at or behind it in its chat: an urgent row queued behind bulk ones pulls
        them out first (they must leave before it), and claims can order by priority without
        ever taking a row before an earlier one of its chat."""
        chats: dict[str, set[str]] = {}
        for row in rows:
            chats.setdefault(row["platform"], set()).add(row["chat_id"])
        if not chats:
            return
        # Found by chat, through ix_outbox_chat_queue: one IN list of chat ids per platform (a
        # row-value IN of (platform, chat) pairs became an OR of 500 ANDs tried on every row),
        # and "pending" tested through coalesce so that no index on the status can serve it.
        # Statistics say few rows are pending (true between fan-outs), so PostgreSQL walked
        # ix_outbox_claim_order's pending rows, including the thousands this transaction just
        # wrote, for each chunk and inside the subquery: 0.9 s a chunk of 500 at 30k, 3 ms
        # this way (docs/performance.md, *Fan-outs*).
        pending = func.coalesce(OutboxMessage.status, "") == OutboxStatus.PENDING
        in_these_chats = or_(
            *(
                and_(OutboxMessage.platform == platform, OutboxMessage.chat_id.in_(sorted(ids)))
                for platform, ids in sorted(chats.items())
            )
        )
        later = aliased(OutboxMessage, name="later")
        most_urgent = (
            select(func.min(later.priority))
            .where(
                later.platform == OutboxMessage.platform,
                later.chat_id == OutboxMessage.chat_id,
                func.coalesce(later.status, "") == OutboxStatus.PENDING,
                or_(
                    later.order_at > OutboxMessage.order_at,
                    and_(later.order_at == OutboxMessage.order_at, later.id >= OutboxMessage.id),
                ),
            )
            .scalar_subquery()
        )
        await self.session.execute(
            update(OutboxMessage)
            .where(
                pending,
                in_these_chats,
                OutboxMessage.priority > most_urgent,
            )
            .values(priority=most_urgent)
            .execution_options(synchronize_session=False)
        )

    async def delete_pending(self, key_prefix: str) -> list[str]:
        """Remove the pending rows whose key starts with ``key_prefix``; return their keys.

        Used when an event changes: what is not sent yet is superseded; what was sent (or is
        being sent) stays and keeps its key, so re-enqueueing never repeats it.
        """
        statement = (
            delete(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True),
            )
            .returning(OutboxMessage.idempotency_key)
        )
        return list((await self.session.scalars(statement)).all())

    # personal data ------------------------------------------------------------------

    def _to(self, member_id: int, accounts: Iterable[tuple[str, str]]) -> Any:
        """Rows for the member: tagged with their id, or sent privately to one of their
        accounts (private chats are addressed by platform user id)."""
        private = [
            (OutboxMessage.private.is_(True))
            & (OutboxMessage.platform == platform)
            & (OutboxMessage.chat_id == user_id)
            for platform, user_id in accounts
        ]
        return or_(OutboxMessage.member_id == member_id, *private)

    async def addressed_to(
        self, member_id: int, accounts: Iterable[tuple[str, str]]
    ) -> list[OutboxMessage]:
        statement = select(OutboxMessage).where(self._to(member_id, accounts))
        return list((await self.session.scalars(statement.order_by(OutboxMessage.id))).all())

    async def delete_addressed_to(self, member_id: int, accounts: Iterable[tuple[str, str]]) -> int:
        """Delete every row for the member, whatever its status (queued, or a sent copy)."""
        statement = delete(OutboxMessage).where(self._to(member_id, accounts))
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def mentioning(self, fragments: Sequence[str]) -> list[OutboxMessage]:
        """Rows whose payload may contain one of ``fragments`` (a pre-filter; see
        :func:`storage.repositories.personal_data.mentions_any`)."""
        statement = select(OutboxMessage).where(mentions_any(OutboxMessage.payload, fragments))
        return list((await self.session.scalars(statement.order_by(OutboxMessage.id))).all())

    async def prune_done(self, *, due_before: datetime) -> int:
        """Delete the rows that are done (sent, failed, missed) and were due before
        ``due_before``: the copies of old messages are not kept for ever."""
        statement = delete(OutboxMessage).where(
            OutboxMessage.status.in_(list(FINAL_OUTBOX_STATUSES)),
            OutboxMessage.due_at < due_before,
        )
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # reading ------------------------------------------------------------------------

    async def get(self, key: str) -> OutboxMessage | None:
        statement = select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        return (await self.session.scalars(statement)).first()

    async def with_prefix(self, key_prefix: str) -> list[OutboxMessage]:
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def next_due_at(
        self,
        platforms: Iterable[str] | None = None,
        *,
        early: Mapping[str, timedelta] | None = None,
        early_kinds: Sequence[str] = (),
    ) -> datetime | None:
        """When the earliest chat can go on (None when nothing waits).

        Only the first unfinished row of each chat counts: the rows behind it wait for it, not
        for their own due time. ``early``: per platform, how long before their due time the
        first attempt of ``early_kinds`` rows may leave.
        """
        eligible = _early_eligible(OutboxMessage, early_kinds)
        statement = (
            select(OutboxMessage.platform, eligible, func.min(OutboxMessage.due_at))
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                not_(_earlier_in_chat(OutboxStatus.PENDING, OutboxStatus.SENDING)),
            )
            .group_by(OutboxMessage.platform, eligible)
        )
        if platforms is not None:
            statement = statement.where(OutboxMessage.platform.in_(list(platforms)))
        moments = [
            due - ((early or {}).get(platform, timedelta(0)) if is_early else timedelta(0))
            for platform, is_early, due in (await self.session.execute(statement)).all()
        ]
        return min(moments, default=None)

    async def early_backlog(
        self, platform: str, *, kinds: Sequence[str], due_by: datetime, priority: int
    ) -> int:
        """What must leave on ``platform`` before fan-outs of ``kinds`` due by ``due_by`` are
        through: their first attempts, and the rows due by then that go before or with them
        (``priority`` or more urgent, which includes bulk rows queued ahead of them in their
        chats, since those take their priority). The size of a fan-out that may have to start
        early to be on time."""
        statement = select(func.count()).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.platform == platform,
            OutboxMessage.due_at <= due_by,
            or_(_early_eligible(OutboxMessage, kinds), OutboxMessage.priority <= priority),
        )
        return int(await self.session.scalar(statement) or 0)

    async def counts_with_prefix(self, key_prefix: str) -> dict[OutboxStatus, int]:
        """Rows per status among those whose key starts with ``key_prefix`` (one fan-out)."""
        statement = (
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.idempotency_key.startswith(key_prefix, autoescape=True))
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(statement)).all()}

    async def backlog(self, now: datetime) -> list[Backlog]:
        """Per kind: the rows waiting, those already due, and the oldest due time."""
        due = OutboxMessage.due_at <= now
        statement = (
            select(
                OutboxMessage.kind,
                func.count(),
                func.count(case((due, 1))),
                func.min(case((due, OutboxMessage.due_at))),
            )
            .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
            .group_by(OutboxMessage.kind)
            .order_by(OutboxMessage.kind)
        )
        rows = (await self.session.execute(statement)).all()
        return [Backlog(kind, int(total), int(due), oldest) for kind, total, due, oldest in rows]

    async def counts(self) -> dict[OutboxStatus, int]:
        statement = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: int(n) for status, n in (await self.session.execute(statement)).all()}

    async def missed(
        self, *, community_id: int | None = None, limit: int = 50
    ) -> list[OutboxMessage]:
        """Rows recorded as missed (newest first), for admins."""
        statement = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.MISSED)
        if community_id is not None:
            statement = statement.where(OutboxMessage.community_id == community_id)
        statement = statement.order_by(OutboxMessage.due_at.desc(), OutboxMessage.id.desc())
        return list((await self.session.scalars(statement.limit(limit))).all())

    # claiming and outcomes ----------------------------------------------------------

    async def claim_due(
        self,
        *,
        limit: int,
        worker_id: str,
        now: datetime,
        platforms: Iterable[str] | None = None,
        claimed_at: datetime | None = None,
        early: timedelta | None = None,
        early_kinds: Sequence[str] = (),
        skip_chats: Sequence[str] = (),
    ) -> list[OutboxMessage]:
        """Atomically take up to ``limit`` rows due at ``now`` for ``worker_id``, in order.

        ``claimed_at`` (default ``now``) is when the claim really happens: a long pass claims
        late rows with the time of the claim.

        A row is taken only when every earlier row of its chat is finished or claimed by
        ``worker_id`` itself: an earlier row waiting for its retry, or being sent by another
        dispatcher, holds the chat. The rows of one chat come back as a prefix of its queue,
        so the caller sends them in the order returned.

        The most urgent rows come first (``priority``, then queue order). An earlier row of
        the chat with another priority holds the row back (enqueueing gives a chat's rows the
        priority of the most urgent one behind them, so this only happens to rows written
        before priorities), so a chat's rows still come back as a prefix of its queue.

        ``early``: the first attempt of an ``early_kinds`` row may be claimed up to this long
        before its due time (a fan-out that must start early to be on time). ``skip_chats``:
        chats the caller has set aside (their rate limit): their later rows stay here.

        A claimed row is ``sending`` with one more attempt counted; no other claim can take
        it. Call this in its own short transaction and commit before sending.
        """
        held_elsewhere = and_(
            _Earlier.status == OutboxStatus.SENDING,
            or_(_Earlier.claimed_by.is_(None), _Earlier.claimed_by != worker_id),
        )
        waiting = and_(
            _Earlier.status == OutboxStatus.PENDING, not_(_ready(_Earlier, now, early, early_kinds))
        )
        other_priority = and_(
            _Earlier.status == OutboxStatus.PENDING, _Earlier.priority != OutboxMessage.priority
        )
        due = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                _ready(OutboxMessage, now, early, early_kinds),
                not_(_earlier_in_chat_where(or_(held_elsewhere, waiting, other_priority))),
            )
            .order_by(OutboxMessage.priority, OutboxMessage.order_at, OutboxMessage.id)
            .limit(limit)
        )
        if platforms is not None:
            due = due.where(OutboxMessage.platform.in_(list(platforms)))
        if skip_chats:
            due = due.where(OutboxMessage.chat_id.not_in(list(skip_chats)))
        if self.dialect == "postgresql":
            await self.session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
            locked = due.with_for_update(of=OutboxMessage)
            ids = list((await self.session.scalars(locked)).all())
            if not ids:
                return []
            target: Any = ids
        else:
            target = due.scalar_subquery()
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(target), OutboxMessage.status == OutboxStatus.PENDING)
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=worker_id,
                claimed_at=claimed_at or now,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        rows = list((await self.session.scalars(statement)).all())
        return sorted(rows, key=lambda row: (row.priority, row.order_at, row.id))

    async def mark_sent(self, row_id: int, *, message_id: str | None, now: datetime) -> None:
        await self.session.execute(mark_sent_statement(row_id, message_id, now))

    async def mark_failed(
        self,
        row_id: int,
        *,
        error: str,
        now: datetime,
        retryable: bool,
        max_attempts: int,
        retry_at: datetime | None = None,
        worker_id: str | None = None,
        maybe_sent_at: datetime | None = None,
    ) -> OutboxStatus:
        """Record a failed attempt: back to pending later (backoff), or failed for good.

        ``maybe_sent_at`` is what the row keeps of an earlier send that may have arrived (None:
        nothing may have). With ``worker_id``, a row that is no longer this worker's claim (its
        lease was lost and another dispatcher took it over) is left alone.
        """
        row = await self.session.get(OutboxMessage, row_id)
        if row is None:
            return OutboxStatus.FAILED
        if worker_id is not None and (
            row.status != OutboxStatus.SENDING or row.claimed_by != worker_id
        ):
            return row.status
        row.last_error = error[:1000]
        row.claimed_by = None
        row.maybe_sent_at = maybe_sent_at
        if retryable and row.attempts < max_attempts:
            row.status = OutboxStatus.PENDING
            row.due_at = retry_at or now + retry_delay(row.attempts)
        else:
            row.status = OutboxStatus.FAILED
        await self.session.flush()
        return row.status

    async def mark_unconfirmed(self, row_id: int, *, error: str, worker_id: str) -> bool:
        """Record a send that may have arrived and will not be repeated (docs/delivery.md)."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == row_id,
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
            .values(status=OutboxStatus.UNCONFIRMED, claimed_by=None, last_error=error[:1000])
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, row_ids: Sequence[int], *, worker_id: str) -> int:
        """Give back claimed rows that were never attempted (a graceful stop)."""
        if not row_ids:
            return 0
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(list(row_ids)),
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_by == worker_id,
            )
            .values(
                status=OutboxStatus.PENDING, claimed_by=None, attempts=OutboxMessage.attempts - 1
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def recover_stale(self, *, claimed_before: datetime) -> int:
        """Put back to pending the rows claimed before ``claimed_before`` by a dispatcher that
        keeps no heartbeat (a version from before leases); the claims of dispatchers with a
        lease are recovered by :meth:`LeaseRepository.expire` instead, in seconds.

        At-least-once for these rows (see docs/delivery.md): a row whose send had reached the
        platform just before the crash may be sent a second time; every other row is sent once.
        """
        leased = select(DispatcherWorker.id)
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_at < claimed_before,
                or_(OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_by.not_in(leased)),
            )
            .values(
                status=OutboxStatus.PENDING,
                claimed_by=None,
                last_error="recovered after its dispatcher stopped while sending",
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def oldest_unleased_claim(self) -> datetime | None:
        """When the oldest claim of a dispatcher without heartbeat was made (for the wake-up
        that recovers it after ``stale_minutes``)."""
        leased = select(DispatcherWorker.id)
        value: datetime | None = await self.session.scalar(
            select(func.min(OutboxMessage.claimed_at)).where(
                OutboxMessage.status == OutboxStatus.SENDING,
                or_(OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_by.not_in(leased)),
            )
        )
        return value

    async def mark_missed(self, *, due_before: datetime, kinds: Sequence[str]) -> int:
        """Record as missed every pending row of ``kinds`` due before ``due_before``
        (now − grace). Other kinds (answers relayed, announcements) are still worth sending late."""
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.due_at < due_before,
                OutboxMessage.kind.in_(list(kinds)),
            )
            .values(status=OutboxStatus.MISSED, last_error="not sent within the grace window")
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


_Earlier = aliased(OutboxMessage, name="earlier")
"""Another row of the same table: an earlier row of the same chat in the subqueries."""


def _earlier_in_chat_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """An earlier row of the row's chat (same platform and chat, before it in ``(order_at,
    id)``) meets ``condition``."""
    return exists().where(
        _Earlier.platform == OutboxMessage.platform,
        _Earlier.chat_id == OutboxMessage.chat_id,
        or_(
            _Earlier.order_at < OutboxMessage.order_at,
            and_(_Earlier.order_at == OutboxMessage.order_at, _Earlier.id < OutboxMessage.id),
        ),
        condition,
    )


def _early_eligible(row: Any, kinds: Sequence[str]) -> ColumnElement[bool]:
    """The row is the first attempt of a kind that may leave before its due time."""
    if not kinds:
        return cast(ColumnElement[bool], row.attempts < 0)  # never (a column, so it groups)
    return and_(row.kind.in_(list(kinds)), row.attempts == 0)


def _ready(
    row: Any, now: datetime, early: timedelta | None, kinds: Sequence[str]
) -> ColumnElement[bool]:
    """The row's time has come at ``now`` (``early`` before it for an early kind)."""
    if not early or not kinds:
        return cast(ColumnElement[bool], row.due_at <= now)
    return or_(row.due_at <= now, and_(_early_eligible(row, kinds), row.due_at <= now + early))


def _earlier_in_chat(*statuses: OutboxStatus) -> ColumnElement[bool]:
    """An earlier row of the row's chat is in one of ``statuses``."""
    return _earlier_in_chat_where(_Earlier.status.in_(list(statuses)))


def mark_maybe_sent_statement(row_id: int, at: datetime) -> Update:
    """Written (and committed) just before a send whose repeat is worse than its loss: if the
    process dies before the answer is recorded, the next attempt knows the chat may hold it."""
    return (
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.maybe_sent_at.is_(None))
        .values(maybe_sent_at=at)
        .execution_options(synchronize_session=False)
    )


def clear_maybe_sent_statement(row_id: int, worker_id: str) -> Update:
    """Undo :func:`mark_maybe_sent_statement` for a send the platform refused (a 429)."""
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_by == worker_id,
        )
        .values(maybe_sent_at=None)
        .execution_options(synchronize_session=False)
    )
