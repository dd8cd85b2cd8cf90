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
from sqlalchemy import select

from bot.core.i18n import Translator
from bot.core.messages import Platform, Recipient, Reply
from bot.core.richtext import Document, Link, bold, bullets, doc, italic, line
from bot.core.templates import DocumentTemplates
from bot.core.timezones import shown_zone
from bot.delivery import outbox
from bot.features.admin.exports import ExportFormat
from bot.features.events.service import next_occurrence
from storage.models import Community, Event, Question, Resource, Story
from storage.statuses import ChatPurpose, ContributionKind, EventStatus, QuestionStatus, StoryStatus
from storage.unit_of_work import UnitOfWork

DIGEST_PURPOSES = (ChatPurpose.GENERAL, ChatPurpose.ANNOUNCEMENTS)
UPCOMING = timedelta(days=35)
LATE_LIMIT = timedelta(hours=6)
"""A digest whose time passed more than this long ago (bot down all day) is not sent late."""


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
        since=translator.format_datetime(since, zone, fmt="medium"),
        until=translator.format_datetime(until, zone, fmt="medium"),
    )
    resources = await uow.session.scalars(
        select(Resource)
        .where(Resource.added_at >= since, Resource.added_at < until)
        .order_by(Resource.added_at.desc())
        .limit(10)
    )
    for resource in resources:
        detail = ", ".join(str(part) for part in (resource.publisher, resource.year) if part)
        digest.resources.append(DigestItem(resource.title, detail, resource.url))
    questions = await uow.session.scalars(
        select(Question)
        .where(
            Question.community_id == community.id,
            Question.status == QuestionStatus.SOLVED,
            Question.solved_at >= since,
            Question.solved_at < until,
        )
        .order_by(Question.solved_at)
    )
    for question in questions:
        answers = len(await uow.advice.answers(question.id))
        digest.solved.append(
            DigestItem(f"Q{question.id} · {question.title}", _("answers: {count}", count=answers))
        )
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
    for moment, event in sorted(upcoming, key=lambda pair: pair[0]):
        when = translator.format_datetime(moment, zone, fmt="medium")
        digest.events.append(DigestItem(event.title, f"{when} ({shown_zone(zone)})", event.link))
    stories = await uow.session.scalars(
        select(Story)
        .where(
            Story.community_id == community.id,
            Story.status == StoryStatus.APPROVED,
            Story.reviewed_at >= since,
            Story.reviewed_at < until,
        )
        .order_by(Story.reviewed_at)
    )
    for story in stories:
        author = await uow.members.get(story.member_id)
        name = author.display_name if author and author.consent_publish else _("A champion")
        digest.stories.append(DigestItem(name, story.text))
    for item in await uow.contributions.approved_between(community.id, since, until):
        if item.kind is ContributionKind.PRACTICE and not item.publish_consent:
            continue  # a write-up its author did not agree to publish
        author = await uow.members.get(item.contributor_member_id)
        name = author.display_name if author and author.consent_publish else _("A champion")
        digest.contributions.append(
            DigestItem(item.title, _("shared by {name}", name=name), item.url)
        )
    return digest


def _sections(digest: Digest, translator: Translator) -> list[tuple[str, list[DigestItem]]]:
    _ = translator.gettext
    return [
        (_("New in the Knowledge Hub"), digest.resources),
        (_("Questions solved by peers"), digest.solved),
        (_("Coming up"), digest.events),
        (_("Stories from the champions"), digest.stories),
        (_("Shared by the champions"), digest.contributions),
    ]


def as_document(digest: Digest, translator: Translator) -> Document:
    title = translator.gettext("This week in {community}", community=digest.community)
    blocks: list[Any] = [line(bold("🗞 " + title))]
    if digest.empty:
        blocks.append(translator.gettext("A quiet week: nothing new to report."))
    for heading, items in _sections(digest, translator):
        if not items:
            continue
        blocks.append(line(bold(heading)))
        entries = []
        for item in items:
            head = Link(item.title, item.url) if item.url else item.title
            entries.append(line(head, " ", italic(item.detail)) if item.detail else line(head))
        blocks.append(bullets(entries))
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
    if fire is None or now - fire > LATE_LIMIT:
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
