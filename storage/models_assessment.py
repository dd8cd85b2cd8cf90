"""The self-assessment tables (``assessment*``). Imported by :mod:`storage.models`.

Everything here is the member's own: ``/mydata`` lists it and ``/forget`` deletes it (every row
cascades with the member). Aggregates only ever read the rows whose ``shared`` flag is set.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import AssessmentStatus
from storage.types import stored_enum


class Assessment(Base):
    """One sitting of a framework by one member, personal or for an institution."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_member", "member_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    framework: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    track: Mapped[str] = mapped_column(String(16), default="personal")
    institution: Mapped[str | None] = mapped_column(String(120))
    """The municipality or association answered for (institutional track), as typed."""
    institution_key: Mapped[str | None] = mapped_column(String(120), index=True)
    """``institution`` folded (lower case, single spaces): the answers of several members meet."""
    status: Mapped[AssessmentStatus] = mapped_column(
        stored_enum(AssessmentStatus, 16), default=AssessmentStatus.OPEN
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    """The question shown last (0-based): where the member resumes."""
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    """She agreed that this result counts, anonymously, in the working group's aggregates."""
    askable: Mapped[bool] = mapped_column(Boolean, default=False)
    """She agreed to be suggested to peers on the criteria she rates strong."""
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    nudged_at: Mapped[datetime | None]
    """When she was invited to take it again (a finished personal sitting): never twice."""


class AssessmentAnswer(Base):
    """One answer: a level 0-5, or ``None`` for "not applicable". A skipped question has none."""

    __tablename__ = "assessment_answers"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    criterion: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime]


class AssessmentAction(Base):
    """Something the member means to do about a criterion, by a date (reminded by the outbox)."""

    __tablename__ = "assessment_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    criterion: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
