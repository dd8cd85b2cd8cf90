"""hub index snapshot in parts: one row per slice of the serialized index

A restart reads the slices one by one into the unpickler instead of holding the whole blob
next to the objects it becomes (issue 17: 508 MB peak at 100k resources).

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-27 20:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("hub_index_snapshots") as batch:
        batch.add_column(sa.Column("part", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("hub_index_snapshots") as batch:
        batch.drop_column("part")
