"""The tables, as typed SQLAlchemy 2 models. Every change ships with an Alembic migration.

This module holds the core (communities, members, their accounts and memberships) and is the
one place every model is registered from: it imports the other ``storage/models_*.py`` modules
and re-exports the models callers have always imported from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

# The other model modules, imported for their side effect: their tables join ``Base.metadata``
# for Alembic and ``create_all``. Their models are imported from those modules directly.
from storage import models_advice_index as _advice_index  # noqa: F401
from storage import models_assessment as _assessment  # noqa: F401
from storage import models_calls as _calls  # noqa: F401
from storage import models_contributions as _contributions  # noqa: F401
from storage import models_hub as _hub  # noqa: F401
from storage import models_networking as _networking  # noqa: F401
from storage.folding import fold_name
from storage.models_advice import AdviceNotice, AdvicePreference, Answer, Question, QuestionMirror
from storage.models_base import Base
from storage.models_delivery import DispatcherWorker, OutboxMessage, PlatformPacing
from storage.models_events import CalendarFeed, Event, EventFeedback, Rsvp
from storage.models_resources import Resource, ResourceLookup
from storage.statuses import AnnouncementAudience, ChatPurpose, MembershipRole, StoryStatus
from storage.types import stored_enum

__all__ = [
    "Account",
    "AdapterState",
    "AdviceNotice",
    "AdvicePreference",
    "Announcement",
    "Answer",
    "AuditEntry",
    "Base",
    "CalendarFeed",
    "Community",
    "CommunityChat",
    "Conversation",
    "DispatcherWorker",
    "Event",
    "EventFeedback",
    "LinkCode",
    "Member",
    "MemberPreference",
    "Membership",
    "OutboxMessage",
    "PlatformPacing",
    "ProcessedUpdate",
    "Question",
    "QuestionMirror",
    "Resource",
    "ResourceLookup",
    "Rsvp",
    "Story",
]


class Community(Base):
    """One network served by the deployment (the CIB champions group, a CC working group)."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    default_language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime]


class Member(Base):
    """One person, whatever platforms they use."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    search_key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """``display_name`` folded (:func:`fold_name`): what lookups by name compare, kept in
    step by :meth:`_fold_display_name`."""
    role: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[list[str]] = mapped_column(default=list)
    expertise: Mapped[list[str]] = mapped_column(default=list)
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """``language`` was chosen (/language, /profile set language), not taken from the
    platform's locale, which may then replace it (docs/style.md, *Which language*)."""
    bio: Mapped[str | None] = mapped_column(Text)
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    onboarded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    accounts: Mapped[list[Account]] = relationship(
        back_populates="member", cascade="all, delete-orphan", lazy="selectin"
    )

    @validates("display_name")
    def _fold_display_name(self, _key: str, value: str) -> str:
        self.search_key = fold_name(value)[:200]
        return value


class Account(Base):
    """A member's identity on one platform."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_member_id", "member_id"),
        UniqueConstraint("platform", "platform_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]

    member: Mapped[Member] = relationship(back_populates="accounts")


class Membership(Base):
    """A member's role in a community: member, champion or admin."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_member_id", "member_id"),)

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        stored_enum(MembershipRole, 16), default=MembershipRole.MEMBER
    )
    joined_at: Mapped[datetime]


class CommunityChat(Base):
    """A chat (or forum, channel) linked to a community, with what it is used for."""

    __tablename__ = "community_chats"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[ChatPurpose] = mapped_column(
        stored_enum(ChatPurpose, 32), default=ChatPurpose.GENERAL
    )
    title: Mapped[str | None] = mapped_column(String(200))


class ProcessedUpdate(Base):
    """Platform update ids already handled: a redelivered update has no second effect."""

    __tablename__ = "processed_updates"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    processed_at: Mapped[datetime]


class Conversation(Base):
    """A conversation in progress: the next plain message of this member here goes to ``flow``."""

    __tablename__ = "conversations"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did what, when: every admin action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    actor_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class Story(Base):
    """An achievement a champion shares; published only once an admin approves it."""

    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_community_status", "community_id", "status", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[StoryStatus] = mapped_column(
        stored_enum(StoryStatus, 16), default=StoryStatus.PENDING
    )
    created_at: Mapped[datetime]
    reviewed_at: Mapped[datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))


class AdapterState(Base):
    """Small durable facts an adapter keeps between starts (e.g. the hash of the synced
    Discord command set, so commands are re-declared only when they changed)."""

    __tablename__ = "adapter_state"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class Announcement(Base):
    """An admin's announcement; its deliveries are outbox rows keyed ``announce:<id>:...``."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    audience: Mapped[AnnouncementAudience] = mapped_column(stored_enum(AnnouncementAudience, 16))
    text: Mapped[str] = mapped_column(Text)
    ping_role: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class MemberPreference(Base):
    """Which community a member's private chats act on (when they belong to several)."""

    __tablename__ = "member_preferences"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )


class LinkCode(Base):
    """A one-time code that links another platform account to the member who asked for it."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime]
