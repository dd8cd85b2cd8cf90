"""advice notices by member and date: the daily cap (issue 17)

Revision ID: 0031
Revises: 0030
Create Date: 2026-11-28 09:30:00

A new question's notices count each champion's notices of the last day (the daily cap,
``AdviceRepository.champions_to_notice``); ``advice_notices`` had no index on ``member_id`` or
``sent_at``, so every count read every notice ever sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_advice_notices_member_sent"


def upgrade() -> None:
    op.create_index(NAME, "advice_notices", ["member_id", "sent_at"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="advice_notices")
