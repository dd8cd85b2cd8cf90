"""member search key: the display name folded (no accents, no case), for lookups by name

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.folding import fold_name

revision: str = "0026"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("search_key", sa.String(200), nullable=False, server_default=""))
    members = sa.table(
        "members",
        sa.column("id", sa.Integer()),
        sa.column("display_name", sa.String()),
        sa.column("search_key", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(members.c.id, members.c.display_name)).all()
    for member_id, name in rows:  # backfill: folding is Python's, not the database's
        connection.execute(
            members.update()
            .where(members.c.id == member_id)
            .values(search_key=fold_name(name or "")[:200])
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("search_key")
