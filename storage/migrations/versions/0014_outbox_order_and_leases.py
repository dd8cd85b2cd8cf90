"""outbox: per-chat order, maybe-delivered mark, dispatcher leases

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dispatcher_workers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("heartbeat_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("order_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("maybe_sent_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    # Rows waiting at the upgrade keep their place: their due time (a retried row's due time
    # moved with its backoff; its first one is not known any more).
    op.execute("UPDATE outbox SET order_at = due_at")
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column(
            "order_at", existing_type=storage.types.UTCDateTime(timezone=True), nullable=False
        )
        batch.create_index(
            "ix_outbox_chat_queue", ["platform", "chat_id", "status", "order_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_chat_queue")
        batch.drop_column("maybe_sent_at")
        batch.drop_column("order_at")
    op.drop_table("dispatcher_workers")
