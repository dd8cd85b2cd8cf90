"""The SQL conditions that keep each chat a queue, shared by claiming and by the wake-up reads.

Each chat's rows leave in ``(order_at, id)`` order, so both "may this row be claimed now?"
(:mod:`.claims`) and "when can the next chat go on?" (:mod:`.reading`) ask about the earlier
rows of the row's chat and about when a row is ready; they ask it with these expressions, so
the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlalchemy.orm import aliased

from storage.models import OutboxMessage
from storage.statuses import OutboxStatus

Earlier = aliased(OutboxMessage, name="earlier")
"""Another row of the same table: an earlier row of the same chat in the subqueries."""


def earlier_in_chat_where(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """An earlier row of the row's chat (same platform and chat, before it in ``(order_at,
    id)``) meets ``condition``."""
    return exists().where(
        Earlier.platform == OutboxMessage.platform,
        Earlier.chat_id == OutboxMessage.chat_id,
        or_(
            Earlier.order_at < OutboxMessage.order_at,
            and_(Earlier.order_at == OutboxMessage.order_at, Earlier.id < OutboxMessage.id),
        ),
        condition,
    )


def earlier_in_chat(*statuses: OutboxStatus) -> ColumnElement[bool]:
    """An earlier row of the row's chat is in one of ``statuses``."""
    return earlier_in_chat_where(Earlier.status.in_(list(statuses)))


def early_eligible(row: Any, kinds: Sequence[str]) -> ColumnElement[bool]:
    """The row is the first attempt of a kind that may leave before its due time."""
    if not kinds:
        return cast(ColumnElement[bool], row.attempts < 0)  # never (a column, so it groups)
    return and_(row.kind.in_(list(kinds)), row.attempts == 0)


def ready(
    row: Any, now: datetime, early: timedelta | None, kinds: Sequence[str]
) -> ColumnElement[bool]:
    """The row's time has come at ``now`` (``early`` before it for an early kind)."""
    if not early or not kinds:
        return cast(ColumnElement[bool], row.due_at <= now)
    return or_(row.due_at <= now, and_(early_eligible(row, kinds), row.due_at <= now + early))
