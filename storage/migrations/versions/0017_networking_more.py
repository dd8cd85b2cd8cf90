"""mentoring lifecycle: goal, pin, check-ins, closing feedback

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 16:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mentorships") as batch:
        batch.add_column(sa.Column("goal", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("checkins_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "mentor_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("well", "help", "stopped", name="checkinanswer", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mentorship_id"], ["mentorships.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mentorship_id", "number", "member_id"),
    )
    op.create_table(
        "mentor_feedback",
        sa.Column("mentorship_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("given_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mentorship_id"], ["mentorships.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("mentorship_id", "member_id"),
    )


def downgrade() -> None:
    op.drop_table("mentor_feedback")
    op.drop_table("mentor_checkins")
    with op.batch_alter_table("mentorships") as batch:
        batch.drop_column("closed_at")
        batch.drop_column("checkins_sent")
        batch.drop_column("pinned")
        batch.drop_column("goal")
