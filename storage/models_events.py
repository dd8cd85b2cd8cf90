"""The events tables: webinars and workshops, RSVPs, feedback and members' calendar feeds.
Imported by :mod:`storage.models`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import EventAudience, EventStatus
from storage.types import stored_enum


class Event(Base):
    """A webinar, training or in-person workshop; a series when ``rrule`` is set.

    ``starts_at`` is the first occurrence in UTC; ``timezone`` is the event's own zone, in which
    a series repeats (so 10:00 stays 10:00 across daylight-saving changes).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    link: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8), default="en")
    speakers: Mapped[list[int]] = mapped_column(JSON, default=list)
    guest_speakers: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    """Speakers who are not members, by name as the organiser typed it (shown on the card,
    never looked up, never reminded)."""
    audience: Mapped[str] = mapped_column(String(64), default=EventAudience.COMMUNITY)
    """``all``, ``community`` (members of ``community_id``) or ``region:<code>``
    (``storage/statuses.py``: EventAudience)."""
    offsets: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Reminder offsets before each occurrence, in minutes."""
    rrule: Mapped[str | None] = mapped_column(String(200))
    cancelled_dates: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    """Dates (ISO, in the event's zone) whose occurrence of the series is cancelled."""
    status: Mapped[EventStatus] = mapped_column(
        stored_enum(EventStatus, 16), default=EventStatus.SCHEDULED
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    discord_event_id: Mapped[str | None] = mapped_column(String(64))
    mirrored_revision: Mapped[int | None] = mapped_column(Integer)
    """The revision last copied to the platform's scheduled event (see EventMirror)."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Rsvp(Base):
    """A member joining an event (every occurrence of a series), with their own offsets."""

    __tablename__ = "event_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    """Where the member RSVP'd: their reminders go to their private chat there."""
    offsets: Mapped[list[int] | None] = mapped_column(JSON)
    """The member's own offsets in minutes; ``None`` means the event's."""
    created_at: Mapped[datetime]


class EventFeedback(Base):
    """An attendee's rating (1-5) and comment after an event."""

    __tablename__ = "event_feedback"
    __table_args__ = (UniqueConstraint("event_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class CalendarFeed(Base):
    """A member's private calendar feed URL; only a SHA-256 of its random token is kept."""

    __tablename__ = "calendar_feeds"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
