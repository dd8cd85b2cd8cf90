"""Calls for contributors (``contributor_calls``, ``call_volunteers``) and the hub's curation
help (``resource_votes``, ``resource_flags``, ``resource_health``). Imported by
:mod:`storage.models`.

A volunteer's answer and a member's vote belong to them: ``/mydata`` lists them and
``/forget`` deletes them (cascade). A flag stays for the curators without its author
(``SET NULL``); a call stays for its community without its creator.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import CallKind, CallStatus, FlagReason, FlagStatus, VolunteerStatus
from storage.types import stored_enum


class ContributorCall(Base):
    """An admin's call: a speaking slot (``event_id``), reviewers, or a case study."""

    __tablename__ = "contributor_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[CallKind] = mapped_column(stored_enum(CallKind, 16))
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    themes: Mapped[list[str]] = mapped_column(default=list)
    """Taxonomy codes; champions whose expertise shares one are invited (none: every one)."""
    seats: Mapped[int] = mapped_column(Integer, default=1)
    deadline: Mapped[datetime]
    status: Mapped[CallStatus] = mapped_column(stored_enum(CallStatus, 16), default=CallStatus.OPEN)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    picked_at: Mapped[datetime | None]


class CallVolunteer(Base):
    """A champion's answer to a call (one row per champion, changed in place)."""

    __tablename__ = "call_volunteers"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("contributor_calls.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    """Where they volunteered: the outcome reaches them there."""
    status: Mapped[VolunteerStatus] = mapped_column(stored_enum(VolunteerStatus, 16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ResourceVote(Base):
    """A member finds a resource helpful or not: one vote per member and resource."""

    __tablename__ = "resource_votes"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class ResourceFlag(Base):
    """A broken or outdated link, said by a member or found by the link check (no member)."""

    __tablename__ = "resource_flags"
    __table_args__ = (Index("ix_resource_flags_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[FlagReason] = mapped_column(stored_enum(FlagReason, 16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    """What the link check saw (``HTTP 404``, ``timeout``)."""
    status: Mapped[FlagStatus] = mapped_column(stored_enum(FlagStatus, 16), default=FlagStatus.OPEN)
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]


class ResourceHealth(Base):
    """The link check's memory of a resource, and whether curators retired it."""

    __tablename__ = "resource_health"
    __table_args__ = (Index("ix_resource_health_next_check_at", "next_check_at"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    checked_at: Mapped[datetime | None]
    next_check_at: Mapped[datetime | None]
    http_status: Mapped[int | None] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    """Failed checks in a row; reset by a good one."""
    retired_at: Mapped[datetime | None]
    """Retired by a curator: kept (so an import does not bring it back), never shown."""
