"""advice changes: the version of the /search_advice index, kept by triggers

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-27 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG = "INSERT INTO advice_changes (community_id, question_id)"
ANSWER_ROW = "SELECT q.community_id, q.id FROM questions q WHERE q.id = {row}.question_id"
"""An answer's community is its question's; an answer deleted with its question logs nothing
(the question's own delete does)."""

QUESTION = f"{LOG} VALUES ({{row}}.community_id, {{row}}.id)"
ANSWER = f"{LOG} {ANSWER_ROW}"
SQLITE_TRIGGERS = {
    "advice_question_added": ("AFTER INSERT ON questions", QUESTION.format(row="NEW")),
    "advice_question_edited": (
        "AFTER UPDATE OF title, body, themes, status, community_id ON questions",
        QUESTION.format(row="NEW"),
    ),
    "advice_question_deleted": ("AFTER DELETE ON questions", QUESTION.format(row="OLD")),
    "advice_answer_added": ("AFTER INSERT ON answers", ANSWER.format(row="NEW")),
    "advice_answer_edited": ("AFTER UPDATE OF body ON answers", ANSWER.format(row="NEW")),
    "advice_answer_deleted": ("AFTER DELETE ON answers", ANSWER.format(row="OLD")),
}

POSTGRES_FUNCTIONS = [
    f"""
CREATE FUNCTION advice_question_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {LOG} VALUES (OLD.community_id, OLD.id);
        RETURN OLD;
    END IF;
    {LOG} VALUES (NEW.community_id, NEW.id);
    IF TG_OP = 'UPDATE' AND OLD.community_id <> NEW.community_id THEN
        {LOG} VALUES (OLD.community_id, OLD.id);
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
    f"""
CREATE FUNCTION advice_answer_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {LOG} {ANSWER_ROW.format(row="OLD")};
        RETURN OLD;
    END IF;
    {LOG} {ANSWER_ROW.format(row="NEW")};
    RETURN NEW;
END $$ LANGUAGE plpgsql""",
]
POSTGRES_TRIGGERS = [
    "CREATE TRIGGER advice_question_added AFTER INSERT ON questions "
    "FOR EACH ROW EXECUTE FUNCTION advice_question_changed()",
    "CREATE TRIGGER advice_question_edited "
    "AFTER UPDATE OF title, body, themes, status, community_id ON questions "
    "FOR EACH ROW EXECUTE FUNCTION advice_question_changed()",
    "CREATE TRIGGER advice_question_deleted AFTER DELETE ON questions "
    "FOR EACH ROW EXECUTE FUNCTION advice_question_changed()",
    "CREATE TRIGGER advice_answer_added AFTER INSERT ON answers "
    "FOR EACH ROW EXECUTE FUNCTION advice_answer_changed()",
    "CREATE TRIGGER advice_answer_edited AFTER UPDATE OF body ON answers "
    "FOR EACH ROW EXECUTE FUNCTION advice_answer_changed()",
    "CREATE TRIGGER advice_answer_deleted AFTER DELETE ON answers "
    "FOR EACH ROW EXECUTE FUNCTION advice_answer_changed()",
]


def upgrade() -> None:
    op.create_table(
        "advice_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_advice_changes_community_id", "advice_changes", ["community_id", "id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*POSTGRES_FUNCTIONS, *POSTGRES_TRIGGERS]:
            op.execute(statement)
        return
    for name, (when, action) in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {action}; END")


def downgrade() -> None:
    for name in SQLITE_TRIGGERS:
        table = "answers" if "answer" in name else "questions"
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS advice_question_changed()")
        op.execute("DROP FUNCTION IF EXISTS advice_answer_changed()")
    op.drop_index("ix_advice_changes_community_id", table_name="advice_changes")
    op.drop_table("advice_changes")
