"""outbox: priorities; platform_pacing: one send rate per platform shared by every process

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-27 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INTERACTIVE = ("advice.question", "advice.answer", "advice.first_answer", "advice.state",
               "meet.say", "meet.thanks", "mentor.ask", "mentor.start")  # fmt: skip
BULK = ("announcement", "digest", "advice.notice", "meet.intro", "meet.left_out", "meet.ask")


def upgrade() -> None:
    op.create_table(
        "platform_pacing",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("platform"),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="2"))
        batch.create_index("ix_outbox_claim_order", ["status", "priority", "order_at"])
    # Rows waiting at the upgrade get their kind's priority (bot.delivery.priority); a chat's
    # order is kept by the claim, which never takes a row before the earlier ones of its chat.
    outbox = sa.table("outbox", sa.column("kind", sa.String), sa.column("priority", sa.Integer))
    op.execute(outbox.update().where(outbox.c.kind.in_(INTERACTIVE)).values(priority=0))
    op.execute(outbox.update().where(outbox.c.kind == "reminder").values(priority=1))
    op.execute(outbox.update().where(outbox.c.kind.in_(BULK)).values(priority=3))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_claim_order")
        batch.drop_column("priority")
    op.drop_table("platform_pacing")
