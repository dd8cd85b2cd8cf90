"""resources know the community that added them

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 09:00:00.000000

Admin rights are checked on an object's own community: a resource added with ``/resource
add`` belongs to the adding admin's community; existing rows (catalogue imports) keep none and
are the deployment's, curated by the secretariat.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEY = "fk_resources_community_id_communities"


def upgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            FOREIGN_KEY, "communities", ["community_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("community_id")
