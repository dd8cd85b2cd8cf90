"""``/mydata``: everything the bot stores about a member, as JSON-ready data.

One section per kind of record, each a small function reading it (by the member's id, or by
their name and ids in the text the bot keeps: queued and sent messages, audit entries).
A feature that starts storing something about people adds its section to :data:`SECTIONS`
(``tests/features/privacy`` fails until every column pointing at a member is covered) and
says in docs/privacy.md what ``/forget`` does with it.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.features.privacy.traces import Traces
from storage.models import (
    Account,
    AdviceNotice,
    AdvicePreference,
    Announcement,
    Answer,
    AuditEntry,
    Base,
    CalendarFeed,
    Conversation,
    Event,
    EventFeedback,
    LinkCode,
    Member,
    MemberPreference,
    Membership,
    OutboxMessage,
    Question,
    Rsvp,
    Story,
)
from storage.models_assessment import Assessment, AssessmentAction
from storage.models_calls import CallVolunteer, ContributorCall, ResourceFlag, ResourceVote
from storage.models_contributions import Contribution
from storage.models_networking import (
    MeetExclusion,
    MeetPairing,
    MeetParticipant,
    MentorBan,
    MentorCheckin,
    MentorFeedback,
    MentorOffer,
    MentorRequest,
    Mentorship,
)
from storage.unit_of_work import UnitOfWork

Reader = Callable[[UnitOfWork, Member], Awaitable[Any]]


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


def _of(column: Any, *fields: str) -> Reader:
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
    return [_message(row, with_text=True) for row in rows]


async def _messages_naming(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    """Messages to others (a question card, a relayed answer) that carry the member's name.
    The text of another person's private message is theirs: only that it exists is listed."""
    traces = Traces.of(member)
    rows = await uow.outbox.mentioning(traces.needles)
    return [
        _message(row, with_text=not row.private)
        for row in rows
        if row.member_id != member.id and traces.found_in(row.payload)
    ]


def _message(row: OutboxMessage, *, with_text: bool) -> dict[str, Any]:
    fields = ("kind", "platform", "private", "status", "due_at", "sent_at")
    return record(row, *fields, *(("chat_id", "payload") if with_text else ()))


@dataclass(frozen=True)
class InventorySection:
    """One part of ``/mydata``: its name, how it is read, which columns pointing at a
    member it covers (a test checks that together they cover every such column)."""

    name: str
    read: Reader
    covers: tuple[Any, ...] = ()


async def _assessments(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    """Each self-assessment with its answers (criterion → level; ``None``: not applicable)."""
    rows = await uow.personal_data.rows_of(Assessment.member_id, member.id)
    fields = ("id", "framework", "track", "institution", "status", "shared", "askable",
              "started_at", "finished_at")  # fmt: skip
    return [
        {**record(row, *fields), "answers": await uow.assessments.answers(row.id)} for row in rows
    ]


async def _shared_files(uow: UnitOfWork, member: Member) -> list[dict[str, Any]]:
    """Files of her contributions not approved yet (the bytes are hers to ask for; listed
    here by name, kind, size and hash). Approved files are the hub's public documents."""
    return [
        record(row, "contribution_id", "filename", "mime_type", "size", "sha256", "created_at")
        for row in await uow.shared_files.of_member(member.id)
    ]


def rows_pointing(name: str, column: Any, *fields: str) -> InventorySection:
    """The section listing the rows whose ``column`` points at the member."""
    return InventorySection(name, _of(column, *fields), (column,))


SECTIONS: tuple[InventorySection, ...] = (
    InventorySection("profile", _profile, (Member.id,)),
    InventorySection("accounts", _accounts, (Account.member_id,)),
    InventorySection("memberships", _memberships, (Membership.member_id,)),
    rows_pointing("community_choice", MemberPreference.member_id, "community_id"),
    rows_pointing("advice_notice_setting", AdvicePreference.member_id, "notices"),
    rows_pointing("questions_asked", Question.asker_id),
    rows_pointing(
        "answers_given", Answer.author_id, "id", "question_id", "body", "platform", "created_at"
    ),
    rows_pointing(
        "advice_notices_received", AdviceNotice.member_id, "question_id", "reason", "sent_at"
    ),
    rows_pointing("stories", Story.member_id, "id", "community_id", "text", "status", "created_at"),
    rows_pointing("stories_reviewed", Story.reviewed_by, "id", "status", "reviewed_at"),
    InventorySection("rsvps", _rsvps, (Rsvp.member_id,)),
    rows_pointing(
        "event_feedback", EventFeedback.member_id, "event_id", "rating", "comment", "updated_at"
    ),
    rows_pointing("events_created", Event.created_by, "id", "title", "starts_at", "status"),
    InventorySection("events_speaking_at", _speaking_at, (Event.speakers,)),
    rows_pointing(
        "announcements_written", Announcement.author_id, "id", "community_id", "text", "created_at"
    ),
    rows_pointing("link_codes", LinkCode.member_id, "code", "expires_at"),
    rows_pointing("calendar_feed", CalendarFeed.member_id, "created_at"),
    rows_pointing("conversations_in_progress", Conversation.member_id),
    InventorySection("messages_to_you", _messages_to, (OutboxMessage.member_id,)),
    InventorySection("messages_naming_you", _messages_naming, (OutboxMessage.payload,)),
    rows_pointing("audit_actions_by_you", AuditEntry.actor_member_id, "action", "at", "detail"),
    InventorySection("audit_entries_about_you", _audit_about, (AuditEntry.detail,)),
    # Pairing rounds and mentoring (bot/features/networking, bot/features/mentoring).
    rows_pointing("pairing_rounds_taken_part", MeetParticipant.member_id, "community_id",
                  "status", "paused_until", "findable", "joined_at"),
    rows_pointing("never_paired_with", MeetExclusion.member_id, "other_id"),
    rows_pointing("excluded_by_others", MeetExclusion.other_id),
    rows_pointing("pairings", MeetPairing.member_id, "round_id", "group_number", "outcome",
                  "thanks"),
    rows_pointing("mentoring_offer", MentorOffer.member_id, "community_id", "themes",
                  "capacity", "months", "active"),
    rows_pointing("mentoring_requests", MentorRequest.member_id, "id", "goals", "themes",
                  "created_at"),
    rows_pointing("mentoring_bans_as_mentor", MentorBan.mentor_id, "mentee_id"),
    rows_pointing("mentoring_bans_as_mentee", MentorBan.mentee_id, "mentor_id"),
    rows_pointing("mentorships_as_mentor", Mentorship.mentor_id, "id", "mentee_id", "status",
                  "goal", "started_at", "ends_at"),
    rows_pointing("mentorships_as_mentee", Mentorship.mentee_id, "id", "mentor_id", "status",
                  "goal", "started_at", "ends_at"),
    rows_pointing("mentoring_check_ins", MentorCheckin.member_id, "mentorship_id", "number",
                  "answer", "answered_at"),
    rows_pointing("mentoring_feedback", MentorFeedback.member_id, "mentorship_id", "rating",
                  "note", "given_at"),
    # Shared resources and good practices (bot/features/contributions).
    rows_pointing("contributions", Contribution.contributor_member_id, "id", "kind",
                  "community_id", "status", "title", "url", "summary", "type", "themes",
                  "regions", "languages", "sections", "written_in", "publish_consent",
                  "consent_at", "resource_id", "review_note", "created_at", "submitted_at",
                  "reviewed_at"),
    rows_pointing("contributions_reviewed", Contribution.reviewed_by_member_id, "id", "status",
                  "reviewed_at"),
    InventorySection("shared_files", _shared_files),
    # Calls for contributors and hub curation (bot/features/calls, bot/features/hub).
    rows_pointing("calls_posted", ContributorCall.created_by, "id", "community_id", "kind",
                  "title", "details", "deadline", "status"),
    rows_pointing("calls_answered", CallVolunteer.member_id, "call_id", "platform", "status",
                  "created_at", "updated_at"),
    rows_pointing("resource_votes", ResourceVote.member_id, "resource_id", "helpful",
                  "updated_at"),
    rows_pointing("resource_flags", ResourceFlag.member_id, "resource_id", "reason", "status",
                  "created_at"),
    # Self-assessments (bot/features/assessment): every sitting with its answers, and actions.
    InventorySection("assessments", _assessments, (Assessment.member_id,)),
    rows_pointing("assessment_actions", AssessmentAction.member_id, "criterion", "text",
                  "due_at", "created_at"),
)  # fmt: skip
"""What ``/mydata`` lists, in this order."""


async def member_data(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    """Everything stored about ``member``, section by section."""
    return {section.name: await section.read(uow, member) for section in SECTIONS}


def member_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
