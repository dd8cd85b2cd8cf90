"""The weekly digest: new resources, solved questions, upcoming events and approved stories.

Posted to the community's chats on its cron schedule (in the community's time zone), once per
scheduled time (the outbox key carries it), and exported for the newsletter. Solved questions
never name who asked.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from bot.core.i18n import Translator
from bot.core.messages import Platform, Recipient, Reply
from bot.core.richtext import Document, Link, bold, bullets, doc, italic, line
from bot.core.templates import DocumentTemplates
from bot.delivery import outbox
from bot.features.admin.exports import ExportFormat
from bot.features.events.service import next_occurrence
from storage.models import Community, Event, Member, Question, Resource, Story
from storage.statuses import ChatPurpose, EventStatus, QuestionStatus, StoryStatus
from storage.unit_of_work import UnitOfWork

DIGEST_PURPOSES = (ChatPurpose.GENERAL, ChatPurpose.ANNOUNCEMENTS)
UPCOMING = timedelta(days=35)
LIST_LIMIT = 10
"""Items shown per section: the rest is counted, with where to find it (a week of 30k rows
must not make a 1 MB message, nor a query per row)."""
MORE_WHERE = {
    "resources": "/resources",
    "solved": "/threads solved",
    "events": "/webinars",
    "contributions": "/resources",
}
"""Where a reader finds the items a section leaves out (stories have no listing command)."""
LATE_LIMIT = timedelta(hours=6)
"""A digest whose time passed more than this long ago (bot down all day) is not sent late."""
SETTLE = timedelta(minutes=1)
"""A digest is built this long after its time. Its week ends at that time, and a row stamped
just before it (a story approved at 07:59:59.9) may commit just after: read at once, it would
be in neither this week's digest (not visible yet) nor the next (stamped before its start)."""


@dataclass(frozen=True)
class DigestItem:
    title: str
    detail: str = ""
    url: str | None = None


@dataclass
class Digest:
    community: str
    since: str
    until: str
    resources: list[DigestItem] = field(default_factory=list)
    solved: list[DigestItem] = field(default_factory=list)
    events: list[DigestItem] = field(default_factory=list)
    stories: list[DigestItem] = field(default_factory=list)
    contributions: list[DigestItem] = field(default_factory=list)
    """Resources and good practices the champions shared, approved this week."""
    more: dict[str, int] = field(default_factory=dict)
    """Per section (``resources``, ``solved``...): how many items the lists leave out."""

    @property
    def empty(self) -> bool:
        return not (
            self.resources or self.solved or self.events or self.stories or self.contributions
        )


def trigger(cron: str, zone: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone=ZoneInfo(zone))


def latest_fire_time(cron: str, zone: str, now: datetime) -> datetime | None:
    """The most recent scheduled time at or before ``now`` (within the last eight days)."""
    schedule = trigger(cron, zone)
    moment = schedule.get_next_fire_time(None, now - timedelta(days=8))
    latest = None
    while moment is not None and moment <= now:
        latest = moment
        moment = schedule.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return latest


async def build(
    uow: UnitOfWork,
    community: Community,
    since: datetime,
    until: datetime,
    translator: Translator,
) -> Digest:
    _ = translator.gettext
    zone = community.timezone
    digest = Digest(
        community=community.name,
        since=translator.format_datetime(since, zone),
        until=translator.format_datetime(until, zone),
    )
    new_resources = select(Resource).where(Resource.added_at >= since, Resource.added_at < until)
    resources = await uow.session.scalars(
        new_resources.order_by(Resource.added_at.desc()).limit(LIST_LIMIT)
    )
    for resource in resources:
        detail = ", ".join(str(part) for part in (resource.publisher, resource.year) if part)
        digest.resources.append(DigestItem(resource.title, detail, resource.url))
    await _count_more(uow, digest, "resources", new_resources)
    solved = select(Question).where(
        Question.community_id == community.id,
        Question.status == QuestionStatus.SOLVED,
        Question.solved_at >= since,
        Question.solved_at < until,
    )
    questions = list(
        await uow.session.scalars(
            solved.order_by(Question.solved_at, Question.id).limit(LIST_LIMIT)
        )
    )
    answers = await uow.advice.answer_counts([question.id for question in questions])
    for question in questions:
        count = answers.get(question.id, 0)
        digest.solved.append(
            DigestItem(
                f"Q{question.id} · {question.title}",
                translator.ngettext("{count} answer", "{count} answers", count),
            )
        )
    await _count_more(uow, digest, "solved", solved)
    events = await uow.session.scalars(
        select(Event).where(
            Event.community_id == community.id, Event.status == EventStatus.SCHEDULED
        )
    )
    upcoming = []
    for event in events:
        moment = next_occurrence(event, until)
        if moment is not None and moment < until + UPCOMING:
            upcoming.append((moment, event))
    upcoming.sort(key=lambda pair: pair[0])
    for moment, event in upcoming[:LIST_LIMIT]:
        when = translator.format_datetime(moment, zone)
        digest.events.append(DigestItem(event.title, when, event.link))
    _set_more(digest, "events", len(upcoming))
    approved = select(Story).where(
        Story.community_id == community.id,
        Story.status == StoryStatus.APPROVED,
        Story.reviewed_at >= since,
        Story.reviewed_at < until,
    )
    stories = await uow.session.execute(
        select(Story, Member)
        .outerjoin(Member, Member.id == Story.member_id)
        .where(approved.whereclause)  # type: ignore[arg-type]
        .options(lazyload(Member.accounts))
        .order_by(Story.reviewed_at, Story.id)
        .limit(LIST_LIMIT)
    )
    for story, author in stories.all():
        name = author.display_name if author and author.consent_publish else _("A champion")
        digest.stories.append(DigestItem(name, story.text))
    await _count_more(uow, digest, "stories", approved)
    shared, total = await uow.contributions.approved_between(community.id, since, until, LIST_LIMIT)
    authors = await uow.members.by_ids([item.contributor_member_id for item in shared])
    for item in shared:
        sharer = authors.get(item.contributor_member_id)
        name = sharer.display_name if sharer and sharer.consent_publish else _("A champion")
        digest.contributions.append(
            DigestItem(item.title, _("shared by {name}", name=name), item.url)
        )
    _set_more(digest, "contributions", total)
    return digest


def _set_more(digest: Digest, section: str, total: int) -> None:
    shown = len(getattr(digest, section))
    if total > shown:
        digest.more[section] = total - shown


async def _count_more(uow: UnitOfWork, digest: Digest, section: str, query: Any) -> None:
    """Count the section's rows: one statement (always, so the cost never depends on the
    data)."""
    total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
    _set_more(digest, section, int(total or 0))


def more_line(digest: Digest, section: str, translator: Translator) -> str:
    """``…and 12 more: /threads solved`` (empty when the list shows everything)."""
    count = digest.more.get(section, 0)
    if not count:
        return ""
    where = MORE_WHERE.get(section)
    if where is None:
        return translator.ngettext("…and {count} more.", "…and {count} more.", count)
    return translator.ngettext(
        "…and {count} more: {where}", "…and {count} more: {where}", count, where=where
    )


Section = tuple[str, list[DigestItem], str]
"""A heading, its items and the line saying how many more (empty when none)."""


def _sections(digest: Digest, translator: Translator) -> list[Section]:
    _ = translator.gettext
    return [
        (heading, items, more_line(digest, key, translator))
        for key, heading, items in (
            ("resources", _("New in the Knowledge Hub"), digest.resources),
            ("solved", _("Questions solved by peers"), digest.solved),
            ("events", _("Coming up"), digest.events),
            ("stories", _("Stories from the champions"), digest.stories),
            ("contributions", _("Shared by the champions"), digest.contributions),
        )
    ]


def as_document(digest: Digest, translator: Translator) -> Document:
    title = translator.gettext("This week in {community}", community=digest.community)
    blocks: list[Any] = [line(bold("🗞 " + title))]
    if digest.empty:
        blocks.append(translator.gettext("A quiet week: nothing new to report."))
    for heading, items, more in _sections(digest, translator):
        if not items:
            continue
        blocks.append(line(bold(heading)))
        entries = []
        for item in items:
            head = Link(item.title, item.url) if item.url else item.title
            entries.append(line(head, " ", italic(item.detail)) if item.detail else line(head))
        blocks.append(bullets(entries))
        if more:
            blocks.append(line(italic(more)))
    return doc(*blocks)


_TEMPLATES = DocumentTemplates("bot.features.digest")


def as_file(digest: Digest, fmt: ExportFormat, translator: Translator) -> str:
    """The digest for the newsletter: JSON, Markdown or a self-contained HTML fragment."""
    if fmt is ExportFormat.JSON:
        return json.dumps(asdict(digest), ensure_ascii=False, indent=2)
    suffix = "md.j2" if fmt is ExportFormat.MARKDOWN else "html.j2"
    return _TEMPLATES.render(
        f"digest.{suffix}",
        title=translator.gettext("This week in {community}", community=digest.community),
        sections=_sections(digest, translator),
        language=translator.language,
        direction="rtl" if translator.rtl else "ltr",
    )


async def post_if_due(uow: UnitOfWork, community: Community, cron: str, now: datetime) -> bool:
    """Queue this week's digest to the community's chats once, at its scheduled time."""
    fire = latest_fire_time(cron, community.timezone, now)
    if fire is None or now - fire > LATE_LIMIT or now - fire < SETTLE:
        return False
    key = f"digest:{community.slug}:{fire.isoformat()}"
    translator = Translator(community.default_language)
    digest = await build(uow, community, fire - timedelta(days=7), fire, translator)
    reply = Reply(body=as_document(digest, translator), rtl=translator.rtl)
    messages = []
    seen: set[tuple[str, str]] = set()
    for purpose in DIGEST_PURPOSES:
        for chat in await uow.communities.chats(community, purpose):
            if (chat.platform, chat.chat_id) in seen:
                continue
            seen.add((chat.platform, chat.chat_id))
            recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
            messages.append(
                outbox.message(
                    f"{key}:{chat.platform}:{chat.chat_id}",
                    "digest",
                    recipient,
                    reply,
                    now,
                    community_id=community.id,
                )
            )
    return await outbox.enqueue(uow, messages, now=now) > 0
