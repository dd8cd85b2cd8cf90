"""Announcements: one admin message fanned out to every linked chat and, if asked, every champion.

Each delivery is an outbox row keyed ``announce:<id>:<platform>:<chat>``, so the fan-out is
paced by the dispatcher, survives a restart halfway, and reaches each place once. When the last
row is done, the author gets the final count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.i18n import Translator
from bot.core.messages import Platform, Recipient, Reply
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.profiles.lookup import private_recipient, reachable_recipient
from storage.models import Announcement, Community, Member
from storage.statuses import (
    FINAL_OUTBOX_STATUSES,
    AnnouncementAudience,
    ChatPurpose,
    MembershipRole,
    OutboxStatus,
)
from storage.unit_of_work import UnitOfWork

ANNOUNCEMENT_PURPOSES = (ChatPurpose.GENERAL, ChatPurpose.ANNOUNCEMENTS)


def key_prefix(announcement_id: int) -> str:
    return f"announce:{announcement_id}:"


def _body(announcement: Announcement, community: Community, translator: Translator) -> Reply:
    title = translator.gettext("Announcement from {community}", community=community.name)
    return Reply(
        body=doc(line(bold("📣 " + title)), announcement.text),
        rtl=translator.rtl,
    )


async def publish(
    uow: UnitOfWork,
    community: Community,
    author: Member,
    text: str,
    audience: AnnouncementAudience,
    *,
    ping_role: bool,
    now: datetime,
) -> tuple[Announcement, int]:
    """Store the announcement and queue one delivery per chat/champion; return it and the count."""
    announcement = Announcement(
        community_id=community.id,
        author_id=author.id,
        audience=audience,
        text=text,
        ping_role=ping_role,
        created_at=now,
    )
    uow.session.add(announcement)
    await uow.session.flush()
    prefix = key_prefix(announcement.id)
    messages = []
    if audience in (AnnouncementAudience.CHATS, AnnouncementAudience.EVERYONE):
        seen: set[tuple[str, str]] = set()
        for purpose in ANNOUNCEMENT_PURPOSES:
            for chat in await uow.communities.chats(community, purpose):
                if (chat.platform, chat.chat_id) in seen:
                    continue
                seen.add((chat.platform, chat.chat_id))
                reply = _body(announcement, community, Translator(community.default_language))
                if ping_role and chat.platform == Platform.DISCORD.value:
                    reply = Reply(body=reply.body, rtl=reply.rtl, ping_role=True)
                recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
                messages.append(
                    outbox.message(
                        f"{prefix}chat:{chat.platform}:{chat.chat_id}",
                        "announcement",
                        recipient,
                        reply,
                        now,
                        community_id=community.id,
                        announcement_id=announcement.id,
                    )
                )
    if audience in (AnnouncementAudience.CHAMPIONS, AnnouncementAudience.EVERYONE):
        bodies: dict[str, Reply] = {}  # one per language, whatever the number of champions
        champions = await uow.communities.reachable_with_role(community, MembershipRole.CHAMPION)
        for champion in champions:
            language = champion.language or community.default_language
            body = bodies.get(language)
            if body is None:
                body = bodies[language] = _body(announcement, community, Translator(language))
            messages.append(
                outbox.message(
                    f"{prefix}member:{champion.member_id}",
                    "announcement",
                    reachable_recipient(champion),
                    body,
                    now,
                    member_id=champion.member_id,
                    community_id=community.id,
                    announcement_id=announcement.id,
                )
            )
    if not messages:
        announcement.completed_at = now
        return announcement, 0
    return announcement, await outbox.enqueue(uow, messages, now=now)


async def progress(uow: UnitOfWork, announcement_id: int) -> dict[OutboxStatus, int]:
    return await uow.outbox.counts_with_prefix(key_prefix(announcement_id))


def delivered(counts: dict[OutboxStatus, int]) -> int:
    """Rows sent, counting the unconfirmed ones: the platform was handling them when its
    answer was lost, so they most likely arrived (docs/delivery.md)."""
    return counts.get(OutboxStatus.SENT, 0) + counts.get(OutboxStatus.UNCONFIRMED, 0)


async def report_if_complete(uow: UnitOfWork, announcement_id: int, now: datetime) -> bool:
    """Once every delivery is done, tell the author the final count (once)."""
    announcement = await uow.session.get(Announcement, announcement_id)
    if announcement is None or announcement.completed_at is not None:
        return False
    counts = await progress(uow, announcement_id)
    if any(status not in FINAL_OUTBOX_STATUSES for status in counts):
        return False
    announcement.completed_at = now
    author = await uow.members.get(announcement.author_id) if announcement.author_id else None
    recipient = private_recipient(author) if author else None
    if author is None or recipient is None:
        return True
    community = await uow.communities.get(announcement.community_id)
    translator = Translator(author.language or (community.default_language if community else "en"))
    reply = Reply(
        body=doc(
            line(bold(translator.gettext("Announcement #{id} is delivered.", id=announcement_id))),
            translator.gettext(
                "Sent: {sent}. Failed: {failed}. Missed: {missed}.",
                sent=delivered(counts),
                failed=counts.get(OutboxStatus.FAILED, 0),
                missed=counts.get(OutboxStatus.MISSED, 0),
            ),
        ),
        rtl=translator.rtl,
    )
    await outbox.enqueue(
        uow,
        [
            outbox.message(
                f"announce-report:{announcement_id}",
                "announcement.report",
                recipient,
                reply,
                now,
                member_id=author.id,
                community_id=announcement.community_id,
            )
        ],
        now=now,
    )
    return True


async def unfinished(uow: UnitOfWork) -> list[int]:
    statement = select(Announcement.id).where(Announcement.completed_at.is_(None))
    return list((await uow.session.scalars(statement)).all())
