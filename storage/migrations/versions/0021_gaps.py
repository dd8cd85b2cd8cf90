"""small gaps: where a pairing's introduction landed; when a finished assessment was nudged

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meet_pairings") as batch:
        batch.add_column(sa.Column("intro_message_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column("nudged_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("nudged_at")
    with op.batch_alter_table("meet_pairings") as batch:
        batch.drop_column("intro_message_id")
