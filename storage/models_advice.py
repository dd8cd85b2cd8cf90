"""The peer-advice tables: questions, answers, where questions were posted, and who was told
about them. Imported by :mod:`storage.models`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import NoticeReason, QuestionStatus
from storage.types import stored_enum


class Question(Base):
    """A peer-advice question. ``asker_id`` is kept for moderation, never shown when anonymous."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_community_created", "community_id", "created_at"),
        Index("ix_questions_community_solved", "community_id", "status", "solved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    asker_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(default=list)
    region: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[QuestionStatus] = mapped_column(
        stored_enum(QuestionStatus, 16), default=QuestionStatus.OPEN
    )
    best_answer_id: Mapped[int | None] = mapped_column(Integer)
    asked_platform: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    solved_at: Mapped[datetime | None]
    nudged_at: Mapped[datetime | None]


class Answer(Base):
    """An answer; stays after its author is forgotten, then signed "former member"."""

    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_question_created", "question_id", "created_at"),
        Index("ix_answers_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class QuestionMirror(Base):
    """Where a question was posted: a Telegram topic or group message, a Discord post or thread."""

    __tablename__ = "question_mirrors"
    __table_args__ = (UniqueConstraint("question_id", "platform", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64))


class AdviceNotice(Base):
    """A champion told privately about a question: for the daily cap, and never twice."""

    __tablename__ = "advice_notices"
    __table_args__ = (
        UniqueConstraint("question_id", "member_id", "reason"),
        Index("ix_advice_notices_member_sent", "member_id", "sent_at"),  # the daily cap
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    reason: Mapped[NoticeReason] = mapped_column(
        stored_enum(NoticeReason, 16), default=NoticeReason.NEW
    )
    sent_at: Mapped[datetime]


class AdvicePreference(Base):
    """A member's choice about question notices (absent row: notices on)."""

    __tablename__ = "advice_preferences"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    notices: Mapped[bool] = mapped_column(Boolean, default=True)
