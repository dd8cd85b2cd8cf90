"""The networking tables: pairing rounds (``meet_*``) and mentoring (``mentor_*``,
``mentorships``). Imported by :mod:`storage.models`.

A member's data here (their participation, "not with" list, pairings) belongs to them:
``/mydata`` lists it and ``/forget`` deletes it (every row cascades with the member).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import (
    CheckinAnswer,
    MeetCadence,
    MeetOutcome,
    MeetStatus,
    MentorshipStatus,
)
from storage.types import stored_enum


class MeetSettings(Base):
    """A community's pairing rhythm: cadence, weekday and time in the community's zone."""

    __tablename__ = "meet_settings"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    cadence: Mapped[MeetCadence] = mapped_column(
        stored_enum(MeetCadence, 16), default=MeetCadence.BIWEEKLY
    )
    weekday: Mapped[int] = mapped_column(Integer, default=0)
    """0 = Monday."""
    time_of_day: Mapped[str] = mapped_column(String(5), default="09:00")
    group_size: Mapped[int] = mapped_column(Integer, default=2)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)


class MeetParticipant(Base):
    """A member taking part (or having taken part) in a community's pairing rounds."""

    __tablename__ = "meet_participants"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[MeetStatus] = mapped_column(
        stored_enum(MeetStatus, 16), default=MeetStatus.ACTIVE
    )
    paused_until: Mapped[datetime | None]
    findable: Mapped[bool] = mapped_column(Boolean, default=True)
    """Listed by ``/find`` (joining implies it; ``/meet findable no`` withdraws it)."""
    left_out_last: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable_since: Mapped[datetime | None]
    """A delivery to this member failed (bot blocked): skipped until they write again."""
    joined_at: Mapped[datetime]


class MeetExclusion(Base):
    """ "Not with": ``member_id`` never wants to be paired with ``other_id``."""

    __tablename__ = "meet_exclusions"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )


class MeetRound(Base):
    """One pairing round of a community; ``key`` makes the round one idempotent unit."""

    __tablename__ = "meet_rounds"
    __table_args__ = (Index("ix_meet_rounds_community", "community_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    number: Mapped[int] = mapped_column(Integer)
    """1, 2, 3... within the community."""
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    followed_up_at: Mapped[datetime | None]


class MeetPairing(Base):
    """One member's place in one group of a round, and how it went."""

    __tablename__ = "meet_pairings"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("meet_rounds.id", ondelete="CASCADE"))
    group_number: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    outcome: Mapped[MeetOutcome | None] = mapped_column(stored_enum(MeetOutcome, 16))
    thanks: Mapped[str | None] = mapped_column(Text)
    intro_message_id: Mapped[str | None] = mapped_column(String(64))
    """The platform id of the introduction the member got: replying to it relays the text."""


class MentorOffer(Base):
    """A champion's offer to mentor: themes, how many mentees at once, for how long."""

    __tablename__ = "mentor_offers"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    themes: Mapped[list[str]] = mapped_column(default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    months: Mapped[int] = mapped_column(Integer, default=6)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class MentorRequest(Base):
    """A member's request for a mentor: goals in their words, and the themes found in them."""

    __tablename__ = "mentor_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    goals: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class MentorBan(Base):
    """An admin's ban: this mentor is never proposed to this mentee."""

    __tablename__ = "mentor_bans"

    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    mentee_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )


class Mentorship(Base):
    """A proposed, active, completed or cancelled mentorship, with the reason it was proposed."""

    __tablename__ = "mentorships"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("mentor_requests.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    status: Mapped[MentorshipStatus] = mapped_column(
        stored_enum(MentorshipStatus, 16), default=MentorshipStatus.PROPOSED
    )
    reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The language, themes and shared hours that made the proposal (rendered per reader)."""
    proposed_at: Mapped[datetime]
    asked_at: Mapped[datetime | None]
    respond_by: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    """The agreed end date (from the offer's months until the pair sets it)."""
    goal: Mapped[str | None] = mapped_column(Text)
    """The goal the pair agreed on (``/mentor goal``), in their words."""
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    """An admin chose this mentor (``/mentor pin``) instead of the computed proposal."""
    checkins_sent: Mapped[int] = mapped_column(Integer, default=0)
    """How many check-ins went out: the next is number ``checkins_sent + 1`` (idempotent)."""
    closed_at: Mapped[datetime | None]
    """When it was completed or cancelled (feedback is asked then)."""


class MentorCheckin(Base):
    """One party's answer to one check-in of a mentorship: going well, need help, stopped."""

    __tablename__ = "mentor_checkins"
    __table_args__ = (UniqueConstraint("mentorship_id", "number", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorships.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    answer: Mapped[CheckinAnswer] = mapped_column(stored_enum(CheckinAnswer, 16))
    answered_at: Mapped[datetime]


class MentorFeedback(Base):
    """One party's closing feedback on a mentorship: a rating from 1 to 5 and a line."""

    __tablename__ = "mentor_feedback"

    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorships.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    given_at: Mapped[datetime]


class DirectoryChange(Base):
    """One change to what ``/find`` shows of a member in one community: their profile's words,
    or whether they may be found. Written by database triggers (migration 0030), like
    ``advice_changes``: a profile edit, ``/meet findable``, ``/forget`` and a bulk import from
    any process all reach every process's directory index. Ids only, no personal data."""

    __tablename__ = "directory_changes"
    __table_args__ = (Index("ix_directory_changes_community_id", "community_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(Integer)
    """Not foreign keys: the row outlives a forgotten member (the index must drop them)."""
