"""``/mydata``: everything the bot stores about a member, as JSON-ready data.

One section per kind of record, each a small function reading it (by the member's id, or by
their name and ids in the text the bot keeps: queued and sent messages, audit entries).
A feature that starts storing something about people adds its section to :data:`SECTIONS`, and
says in docs/privacy.md what ``/forget`` does with it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.features.privacy.traces import Traces
from storage.models import (
    AdviceNotice,
    AdvicePreference,
    Announcement,
    Answer,
    AuditEntry,
    Base,
    Conversation,
    Event,
    EventFeedback,
    LinkCode,
    Member,
    MemberPreference,
    OutboxMessage,
    Question,
    Rsvp,
    Story,
)
from storage.unit_of_work import UnitOfWork

Section = Callable[[UnitOfWork, Member], Awaitable[Any]]


def plain(value: Any) -> Any:
    """A stored value as JSON has it (times in ISO 8601, statuses as their text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def record(row: Base, *fields: str) -> dict[str, Any]:
    """``fields`` of ``row`` (all its columns when none are named)."""
    names = fields or tuple(column.key for column in row.__table__.columns)
    return {name: plain(getattr(row, name)) for name in names}


def _of(column: Any, *fields: str) -> Section:
    """A section listing the rows whose ``column`` points at the member."""

    async def section(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
        return [record(row, *fields) for row in await uow.personal_data.rows_of(column, member.id)]

    return section


async def _profile(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    return record(member)


async def _accounts(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    return [
        {"platform": a.platform, "user_id": a.platform_user_id, "username": a.username}
        for a in member.accounts
    ]


async def _memberships(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    return [
        record(m, "community_id", "role", "joined_at")
        for m in await uow.communities.memberships_of(member)
    ]


async def _rsvps(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    rows = []
    for rsvp in await uow.personal_data.rows_of(Rsvp.member_id, member.id):
        event = await uow.events.get(rsvp.event_id)
        rows.append(
            {
                **record(rsvp, "event_id", "platform", "offsets", "created_at"),
                "event_title": event.title if event else None,
            }
        )
    return rows


async def _speaking_at(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    events = await uow.personal_data.events_with_speaker(member.id)
    return [record(event, "id", "title", "starts_at") for event in events]


async def _audit_about(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    entries = await uow.personal_data.audit_about(member.id)
    return [record(e, "action", "at", "actor_member_id", "detail") for e in entries]


async def _messages_to(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    accounts = [(a.platform, a.platform_user_id) for a in member.accounts]
    rows = await uow.outbox.addressed_to(member.id, accounts)
    return [_message(row) for row in rows]


async def _messages_naming(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    """Messages to others (a question card, a relayed answer) that carry the member's name."""
    traces = Traces.of(member)
    rows = await uow.outbox.mentioning(traces.needles)
    return [
        _message(row) for row in rows if row.member_id != member.id and traces.found_in(row.payload)
    ]


def _message(row: OutboxMessage) -> dict[str, Any]:
    return record(
        row, "kind", "platform", "chat_id", "private", "status", "due_at", "sent_at", "payload"
    )


SECTIONS: tuple[tuple[str, Section], ...] = (
    ("profile", _profile),
    ("accounts", _accounts),
    ("memberships", _memberships),
    ("community_choice", _of(MemberPreference.member_id, "community_id")),
    ("advice_notice_setting", _of(AdvicePreference.member_id, "notices")),
    ("questions_asked", _of(Question.asker_id)),
    ("answers_given", _of(Answer.author_id, "id", "question_id", "body", "platform", "created_at")),
    ("advice_notices_received", _of(AdviceNotice.member_id, "question_id", "reason", "sent_at")),
    ("stories", _of(Story.member_id, "id", "community_id", "text", "status", "created_at")),
    ("rsvps", _rsvps),
    ("event_feedback", _of(EventFeedback.member_id, "event_id", "rating", "comment", "updated_at")),
    ("events_created", _of(Event.created_by, "id", "title", "starts_at", "status")),
    ("events_speaking_at", _speaking_at),
    (
        "announcements_written",
        _of(Announcement.author_id, "id", "community_id", "text", "created_at"),
    ),
    ("link_codes", _of(LinkCode.member_id, "code", "expires_at")),
    ("conversations_in_progress", _of(Conversation.member_id)),
    ("messages_to_you", _messages_to),
    ("messages_naming_you", _messages_naming),
    ("audit_actions_by_you", _of(AuditEntry.actor_member_id, "action", "at", "detail")),
    ("audit_entries_about_you", _audit_about),
    # ("pairings", ...): the pairing feature adds its section here when it lands (both sides
    # of a pair: the member's own requests and the pairs they are part of).
)
"""What ``/mydata`` lists, in this order. Every table that points at a member has a section."""


async def member_data(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    """Everything stored about ``member``, section by section."""
    return {name: await section(uow, member) for name, section in SECTIONS}


def member_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
