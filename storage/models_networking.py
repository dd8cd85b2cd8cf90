"""The networking tables: pairing rounds (``meet_*``). Imported by :mod:`storage.models`.

A member's data here (their participation, "not with" list, pairings) belongs to them:
``/mydata`` lists it and ``/forget`` deletes it (every row cascades with the member).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.statuses import MeetCadence, MeetOutcome, MeetStatus
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
