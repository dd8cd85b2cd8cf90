"""members.language_chosen: a language set with /language, not taken from the platform

Revision ID: 0029
Revises: 0028
Create Date: 2026-11-28 00:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | Sequence[str] | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("language_chosen", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # Until now only /language and /profile set stored a language: those were choices.
    op.execute("UPDATE members SET language_chosen = (language IS NOT NULL)")


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("language_chosen")
