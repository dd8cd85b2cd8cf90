"""directory changes: the version of the /find index, kept by triggers

Revision ID: 0030
Revises: 0029
Create Date: 2026-11-28 05:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG = "INSERT INTO directory_changes (community_id, member_id)"
SHOWN = "display_name, organisation, bio, expertise, region, languages, role"
"""The member columns /find indexes or filters on (bot/features/networking/directory.py)."""
MEMBER = (
    f"{LOG} SELECT p.community_id, p.member_id FROM meet_participants p"
    " WHERE p.member_id = {row}.id"
)
"""A profile edit changes the member in every community where they take part in rounds. A
forgotten member's participations are deleted with them (a cascade), and those deletes log."""
PARTICIPANT = f"{LOG} VALUES ({{row}}.community_id, {{row}}.member_id)"

SQLITE_TRIGGERS = {
    "directory_member_edited": (f"AFTER UPDATE OF {SHOWN} ON members", MEMBER.format(row="NEW")),
    "directory_participant_added": (
        "AFTER INSERT ON meet_participants",
        PARTICIPANT.format(row="NEW"),
    ),
    "directory_participant_edited": (
        "AFTER UPDATE OF findable, community_id, member_id ON meet_participants",
        PARTICIPANT.format(row="NEW"),
    ),
    "directory_participant_deleted": (
        "AFTER DELETE ON meet_participants",
        PARTICIPANT.format(row="OLD"),
    ),
}

POSTGRES_FUNCTIONS = [
    f"""
CREATE FUNCTION directory_member_changed() RETURNS trigger AS $$
BEGIN
    {MEMBER.format(row="NEW")};
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
    f"""
CREATE FUNCTION directory_participant_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {PARTICIPANT.format(row="OLD")};
        RETURN OLD;
    END IF;
    {PARTICIPANT.format(row="NEW")};
    IF TG_OP = 'UPDATE' AND OLD.community_id <> NEW.community_id THEN
        {PARTICIPANT.format(row="OLD")};
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
]
POSTGRES_TRIGGERS = [
    f"CREATE TRIGGER directory_member_edited AFTER UPDATE OF {SHOWN} ON members "
    "FOR EACH ROW EXECUTE FUNCTION directory_member_changed()",
    "CREATE TRIGGER directory_participant_added AFTER INSERT ON meet_participants "
    "FOR EACH ROW EXECUTE FUNCTION directory_participant_changed()",
    "CREATE TRIGGER directory_participant_edited "
    "AFTER UPDATE OF findable, community_id, member_id ON meet_participants "
    "FOR EACH ROW EXECUTE FUNCTION directory_participant_changed()",
    "CREATE TRIGGER directory_participant_deleted AFTER DELETE ON meet_participants "
    "FOR EACH ROW EXECUTE FUNCTION directory_participant_changed()",
]


def upgrade() -> None:
    op.create_table(
        "directory_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_directory_changes_community_id", "directory_changes", ["community_id", "id"]
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS]:
            op.execute(statement)
        return
    for name, (when, action) in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {action}; END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in SQLITE_TRIGGERS:
        table = "members" if "member_edited" in name else "meet_participants"
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgresql
                   else f"DROP TRIGGER IF EXISTS {name}")  # fmt: skip
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS directory_member_changed()")
        op.execute("DROP FUNCTION IF EXISTS directory_participant_changed()")
    op.drop_index("ix_directory_changes_community_id", table_name="directory_changes")
    op.drop_table("directory_changes")
