"""shared files: files champions share, kept to be served once approved

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-27 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shared_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=True),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("approved_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["contribution_id"], ["contributions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index("ix_shared_files_sha256", "shared_files", ["sha256"])
    op.create_index("ix_shared_files_contribution", "shared_files", ["contribution_id"])
    op.create_index("ix_shared_files_resource", "shared_files", ["resource_id"])


def downgrade() -> None:
    op.drop_index("ix_shared_files_resource", table_name="shared_files")
    op.drop_index("ix_shared_files_contribution", table_name="shared_files")
    op.drop_index("ix_shared_files_sha256", table_name="shared_files")
    op.drop_table("shared_files")
