"""``/forget``: every copy of a member's personal data goes, in one transaction.

What each table keeps is decided here and written down in docs/privacy.md (a table per table):

- **deleted with the member** (foreign keys cascade): accounts, memberships, the community
  choice, the notice setting, conversations, link codes, RSVPs (and their queued reminders),
  feedback, stories, advice notices, answers to calls, votes on resources;
- **kept, no longer theirs**: questions and answers (signed "former member"), announcements,
  events and calls they created, flags on resources, audit entries (the actor and the
  subject are emptied);
- **outbox**: rows addressed to them are deleted whatever their status; queued rows that name
  them are rendered again by the feature that queued them (``registry.rerender``), then any
  trace left is replaced; copies of sent rows that name them are scrubbed to a tombstone.

Messages already posted on Telegram or Discord stay there: the messengers cannot edit yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.i18n import N_, Translator
from bot.core.registry import Registry
from bot.delivery.outbox import make_payload, payload_reply
from bot.features.privacy.traces import Traces
from storage.models import Announcement, Answer, AuditEntry, Event, Member, OutboxMessage, Question
from storage.models_calls import ContributorCall
from storage.statuses import FINAL_OUTBOX_STATUSES
from storage.unit_of_work import UnitOfWork

FORMER_MEMBER = N_("former member")

AUTHORED_TEXT: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Question.asker_id, ("title", "body")),
    (Answer.author_id, ("body",)),
    (Announcement.author_id, ("text",)),
    (Event.created_by, ("title", "description", "place")),
    (ContributorCall.created_by, ("title", "details")),
)
"""Text the member wrote that stays for the others: the column naming them, the text columns."""


@dataclass
class ForgetReport:
    """What ``/forget`` did, for the log."""

    messages_deleted: int = 0
    messages_rendered_again: int = 0
    sent_copies_scrubbed: int = 0
    texts_redacted: int = 0
    audit_entries_cleaned: int = 0


REMOVED = N_("[removed]")


class _Replacements:
    """What replaces a trace, in the language a row is read in (cached per language)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._words: dict[str, dict[str, str]] = {}

    async def for_row(
        self, community_id: int | None, reader_id: int | None = None
    ) -> dict[str, str]:
        """The ``name`` and ``detail`` keywords of :meth:`Traces.redact`."""
        reader = await self.uow.members.get(reader_id) if reader_id else None
        community = await self.uow.communities.get(community_id) if community_id else None
        language = (reader.language if reader else None) or (
            community.default_language if community else "en"
        )
        if language not in self._words:
            translator = Translator(language)
            self._words[language] = {
                "name": translator.gettext(FORMER_MEMBER),
                "detail": translator.gettext(REMOVED),
            }
        return self._words[language]


async def forget_member(uow: UnitOfWork, registry: Registry, member: Member) -> ForgetReport:
    """Delete ``member`` and every copy of their personal data (see the module docstring)."""
    traces = Traces.of(member)
    accounts = [(a.platform, a.platform_user_id) for a in member.accounts]
    report = ForgetReport()
    words = _Replacements(uow)
    report.messages_deleted = await uow.outbox.delete_addressed_to(member.id, accounts)
    authored = [
        (row, columns)
        for column, columns in AUTHORED_TEXT
        for row in await uow.personal_data.rows_of(column, member.id)
    ]
    for event in await uow.personal_data.events_with_speaker(member.id):
        event.speakers = [speaker for speaker in event.speakers if speaker != member.id]
    report.audit_entries_cleaned = await _clean_audit(uow, member.id, traces, words)
    await uow.members.delete(member)  # the database cascades or empties every reference
    for row, columns in authored:
        await uow.session.refresh(row)  # see the emptied author columns
        replacements = await words.for_row(await _community_of(uow, row))
        for name in columns:
            text = getattr(row, name)
            if text and traces.found_in(text):
                setattr(row, name, traces.redact(text, **replacements))
                report.texts_redacted += 1
    await _clean_outbox(uow, registry, traces, words, report)
    await uow.flush()
    return report


async def _community_of(uow: UnitOfWork, row: Any) -> int | None:
    if isinstance(row, Answer):
        question = await uow.advice.question(row.question_id)
        return question.community_id if question else None
    return getattr(row, "community_id", None)


async def _clean_audit(
    uow: UnitOfWork, member_id: int, traces: Traces, words: _Replacements
) -> int:
    """Entries keep the action; the member is no longer its subject, nor named in it."""
    about = await uow.personal_data.audit_about(member_id)
    naming = await uow.personal_data.rows_mentioning(AuditEntry, ["detail"], traces.needles)
    cleaned = 0
    for entry in {entry.id: entry for entry in (*about, *naming)}.values():
        detail = dict(entry.detail)
        if detail.get("member_id") == member_id:
            detail["member_id"] = None
        if isinstance(detail.get("member_ids"), list):
            detail["member_ids"] = [m for m in detail["member_ids"] if m != member_id]
        entry.detail = traces.redact(detail, **await words.for_row(entry.community_id))
        cleaned += 1
    return cleaned


async def _clean_outbox(
    uow: UnitOfWork,
    registry: Registry,
    traces: Traces,
    words: _Replacements,
    report: ForgetReport,
) -> None:
    """Queued rows that name the member are rendered again; sent copies become tombstones."""
    for row in await uow.outbox.mentioning(traces.needles):
        if not traces.found_in(row.payload):
            continue
        replacements = await words.for_row(row.community_id, row.member_id)
        meta = traces.redact(dict(row.payload.get("meta", {})), **replacements)
        if row.status in FINAL_OUTBOX_STATUSES:
            row.payload = tombstone(meta)
            report.sent_copies_scrubbed += 1
            continue
        payload = await _rendered_again(uow, registry, row, meta)
        row.payload = traces.redact(payload, **replacements)
        report.messages_rendered_again += 1


async def _rendered_again(
    uow: UnitOfWork, registry: Registry, row: OutboxMessage, meta: dict[str, Any]
) -> dict[str, Any]:
    reply = payload_reply(row.payload)
    hook = registry.rerender_hook(row.kind)
    fresh = await hook(uow, row, reply) if hook is not None else None
    return make_payload(fresh or reply, **meta)


def tombstone(meta: dict[str, Any]) -> dict[str, Any]:
    """What stays of a sent message's copy: its meta (ids, an event title), not its text."""
    return {"meta": meta, "scrubbed": True}
