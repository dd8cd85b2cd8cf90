"""The delivery tables: the outbox of messages to send, the shared send pacing and the
dispatchers holding claims. Imported by :mod:`storage.models`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import OutboxStatus
from storage.types import stored_enum


def _first_due_at(context: Any) -> Any:
    """A row inserted without ``order_at`` takes its place at its due time."""
    return context.get_current_parameters()["due_at"]


class OutboxMessage(Base):
    """A message that must be sent once: reminders, announcements, relays, notices.

    ``idempotency_key`` is unique, so enqueuing the same reminder twice is a no-op; a
    dispatcher claims a row (status ``pending`` → ``sending``) before it sends.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_chat_queue", "platform", "chat_id", "status", "order_at"),
        Index("ix_outbox_claim_order", "status", "priority", "order_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )
    payload: Mapped[dict[str, Any]]
    due_at: Mapped[datetime]
    """When the row may be sent next: its due time, moved later by each retry's backoff."""
    order_at: Mapped[datetime] = mapped_column(default=_first_due_at)
    """Its place in its chat's queue (then ``id``): the first due time, which a retry never
    moves, so a failed row keeps the later rows of its chat waiting behind it."""
    status: Mapped[OutboxStatus] = mapped_column(
        stored_enum(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_message_id: Mapped[str | None] = mapped_column(String(64))
    maybe_sent_at: Mapped[datetime | None]
    """Since when the platform may hold this message without our knowing: a send was started
    (or answered by a timeout) and never confirmed. The next attempt looks in the chat first
    where the platform allows it (docs/delivery.md)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    priority: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    """Lower leaves first (``bot.delivery.priority``): the kind's priority, lowered to that of
    the most urgent row queued behind it in its chat, so a chat's order still holds."""


class PlatformPacing(Base):
    """One platform's send rate shared by every process: the next free send slot.

    Each process reserves slots with one atomic ``UPDATE … RETURNING`` (see
    ``storage.repositories.pacing``), so N processes together never exceed the platform's rate.
    """

    __tablename__ = "platform_pacing"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)
    """The next free slot, in seconds since the epoch on the database server's clock."""


class DispatcherWorker(Base):
    """A dispatcher holding claims, alive while its heartbeat is younger than the lease.

    The rows it claimed (``outbox.claimed_by``) go back to pending once its heartbeat is older
    than ``[reminders] lease_seconds``: a crashed process's claims are recovered in seconds.
    """

    __tablename__ = "dispatcher_workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    heartbeat_at: Mapped[datetime]
    started_at: Mapped[datetime]
