"""The advice search index's version (issue 17): a change log of questions, written by triggers.

Every insert, relevant update or delete of a question or an answer appends one row to
``advice_changes`` (database triggers, migration 0028), so the version is ``max(id)`` (an
index lookup, not ``count(*)``) and a process holding the index at version *v* re-reads only
the questions named by the rows after *v*. Triggers rather than ORM events: bulk inserts,
``/forget``'s redactions and cascades from any process reach the log alike. The table holds
ids only, no personal data.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base


class AdviceChange(Base):
    """One change to one question (or one of its answers); ``id`` is the version after it."""

    __tablename__ = "advice_changes"
    __table_args__ = (Index("ix_advice_changes_community_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(Integer)
    """Not foreign keys: the row outlives a deleted question (the index must drop it)."""
