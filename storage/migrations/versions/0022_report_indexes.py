"""indexes for set-based reports, exports and listings (issue 17)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-27 18:00:00

Every column a report, export or listing filters or joins on, that had no index: answers by
question and date (/stats, /threads, the digest, the threads export), answers by author
(recognition, /mydata, /forget), questions by community and date (listings, /stats,
/search_advice) and by solved date (the digest), stories by community and status (exports,
digest), memberships and accounts by member (every request finds them), rounds by community
(the pairing report).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_answers_question_created", "answers", ["question_id", "created_at"]),
    ("ix_answers_author_id", "answers", ["author_id"]),
    ("ix_questions_community_created", "questions", ["community_id", "created_at"]),
    ("ix_questions_community_solved", "questions", ["community_id", "status", "solved_at"]),
    ("ix_stories_community_status", "stories", ["community_id", "status", "reviewed_at"]),
    ("ix_memberships_member_id", "memberships", ["member_id"]),
    ("ix_accounts_member_id", "accounts", ["member_id"]),
    ("ix_meet_rounds_community", "meet_rounds", ["community_id", "number"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
