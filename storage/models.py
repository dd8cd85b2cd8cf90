"""The tables, as typed SQLAlchemy 2 models. Every change ships with an Alembic migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from storage.folding import fold_name
from storage.statuses import (
    AnnouncementAudience,
    ChatPurpose,
    EventAudience,
    EventStatus,
    MembershipRole,
    NoticeReason,
    OutboxStatus,
    QuestionStatus,
    StoryStatus,
)
from storage.types import UTCDateTime, stored_enum


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


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


def _first_due_at(context: Any) -> Any:
    """A row inserted without ``order_at`` takes its place at its due time."""
    return context.get_current_parameters()["due_at"]


class OutboxMessage(Base):
    """A message that must be sent once: reminders, announcements, relays, notices.

    ``idempotency_key`` is unique, so enqueuing the same reminder twice is a no-op; a
    dispatcher claims a row (status ``pending`` → ``sending``) before it sends.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "due_at"),
        Index("ix_outbox_chat_queue", "platform", "chat_id", "status", "order_at"),
        Index("ix_outbox_claim_order", "status", "priority", "order_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )
    payload: Mapped[dict[str, Any]]
    due_at: Mapped[datetime]
    """When the row may be sent next: its due time, moved later by each retry's backoff."""
    order_at: Mapped[datetime] = mapped_column(default=_first_due_at)
    """Its place in its chat's queue (then ``id``): the first due time, which a retry never
    moves, so a failed row keeps the later rows of its chat waiting behind it."""
    status: Mapped[OutboxStatus] = mapped_column(
        stored_enum(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_message_id: Mapped[str | None] = mapped_column(String(64))
    maybe_sent_at: Mapped[datetime | None]
    """Since when the platform may hold this message without our knowing: a send was started
    (or answered by a timeout) and never confirmed. The next attempt looks in the chat first
    where the platform allows it (docs/delivery.md)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    priority: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    """Lower leaves first (``bot.delivery.priority``): the kind's priority, lowered to that of
    the most urgent row queued behind it in its chat, so a chat's order still holds."""


class PlatformPacing(Base):
    """One platform's send rate shared by every process: the next free send slot.

    Each process reserves slots with one atomic ``UPDATE … RETURNING`` (see
    ``storage.repositories.pacing``), so N processes together never exceed the platform's rate.
    """

    __tablename__ = "platform_pacing"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)
    """The next free slot, in seconds since the epoch on the database server's clock."""


class DispatcherWorker(Base):
    """A dispatcher holding claims, alive while its heartbeat is younger than the lease.

    The rows it claimed (``outbox.claimed_by``) go back to pending once its heartbeat is older
    than ``[reminders] lease_seconds``: a crashed process's claims are recovered in seconds.
    """

    __tablename__ = "dispatcher_workers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    heartbeat_at: Mapped[datetime]
    started_at: Mapped[datetime]


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


class Resource(Base):
    """One Knowledge Hub resource: a publication, toolkit, guide, dataset, webinar, news item...

    ``dedup_key`` is the identity used by imports: the normalized url when there is one, else the
    normalized title and publisher, so importing the same catalogue twice changes nothing (a url
    shared by differently titled rows of one file, a listing page, adds the title).
    ``themes``, ``regions`` and ``languages`` hold taxonomy codes (``bot/hub/taxonomy.py``).
    ``community_id`` is the community whose admin added it (its admins curate it); imported
    catalogue rows have none: they are the whole deployment's, curated by the secretariat.
    Everyone finds every resource either way: the catalogue is shared.
    """

    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_updated_at", "updated_at"),)
    """The search service reads max(updated_at) before each search (its change fingerprint)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    type: Mapped[str] = mapped_column(String(32), default="publication")
    themes: Mapped[list[str]] = mapped_column(default=list)
    regions: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    publisher: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300), default="")
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]


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


class ResourceLookup(Base):
    """A resource shown in search results: counted for /stats; who searched is not kept."""

    __tablename__ = "resource_lookups"
    __table_args__ = (Index("ix_resource_lookups_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    at: Mapped[datetime]


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


class CalendarFeed(Base):
    """A member's private calendar feed URL; only a SHA-256 of its random token is kept."""

    __tablename__ = "calendar_feeds"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


# The networking tables live in their own module (kept apart so this one stays readable);
# importing them here puts them on ``Base.metadata`` for Alembic and ``create_all``.
from storage import models_advice_index as _advice_index  # noqa: E402, F401
from storage import models_assessment as _assessment  # noqa: E402, F401
from storage import models_calls as _calls  # noqa: E402, F401
from storage import models_contributions as _contributions  # noqa: E402, F401
from storage import models_hub as _hub  # noqa: E402, F401
from storage import models_networking as _networking  # noqa: E402, F401
