"""Events mirrored to a platform's scheduled events (Discord), by a periodic sweep.

The core decides *what* a server may show and when it changed; the adapter's
:class:`~bot.core.ports.EventMirror` says *how* (see ``adapters/discord/events_mirror.py``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.messages import Platform
from bot.core.ports import EventMirror, MirroredEvent, UnitOfWorkFactory
from bot.features.events.service import next_occurrence
from storage.models import Event
from storage.statuses import EventAudience, EventStatus

if TYPE_CHECKING:
    from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


async def guild_community(uow: UnitOfWork, default_community: str) -> int | None:
    """The community whose Discord server the mirror publishes to: the one community with
    Discord chats linked (or, with none linked, the default community, which unlinked
    channels act on). ``None`` when several communities share the server."""
    linked = await uow.communities.linked_on(Platform.DISCORD.value)
    if len(linked) > 1:
        return None
    if linked:
        return linked[0]
    default = await uow.communities.by_slug(default_community)
    return default.id if default is not None else None


def may_mirror(event: Event, guild_community_id: int | None) -> bool:
    """A guild scheduled event is seen by everyone in the server, so only what everyone there
    may see is mirrored: network-wide events, and the server's own community's events (never
    those of another community, nor a region's, which only part of the server may see)."""
    if event.audience == EventAudience.ALL:
        return True
    return event.audience == EventAudience.COMMUNITY and event.community_id == guild_community_id


async def mirror_events(
    database: UnitOfWorkFactory,
    mirror: EventMirror,
    *,
    now: datetime,
    default_community: str,
) -> int:
    """Bring the platform's scheduled events in line with ours; return how many changed.

    An event is (re)published when its revision differs from the one last mirrored, and
    cancelled there when it is cancelled here, or when it may no longer be shown to the whole
    server (:func:`may_mirror`). Each event is its own transaction; a failure leaves it for
    the next sweep.
    """
    async with database.unit_of_work() as uow:
        server = await guild_community(uow, default_community)
        candidates = [
            event.id
            for event in await uow.events.all()
            if event.mirrored_revision != event.revision
            and (event.status == EventStatus.SCHEDULED or event.discord_event_id)
        ]
    changed = 0
    for event_id in candidates:
        async with database.unit_of_work() as uow:
            event = await uow.events.get(event_id)
            if event is None:
                continue
            try:
                if not may_mirror(event, server):
                    if not event.discord_event_id:
                        event.mirrored_revision = event.revision  # nothing to show or take down
                        continue
                    await mirror.cancel(event.discord_event_id)
                    event.discord_event_id = None
                elif event.status == EventStatus.SCHEDULED:
                    moment = next_occurrence(event, now)
                    if moment is None:
                        continue
                    event.discord_event_id = await mirror.publish(
                        mirrored(event, moment), event.discord_event_id
                    )
                elif event.discord_event_id:
                    await mirror.cancel(event.discord_event_id)
            except Exception:
                log.exception("mirroring event %s failed; retried on the next sweep", event_id)
                continue
            event.mirrored_revision = event.revision
            changed += 1
    return changed


def mirrored(event: Event, moment: datetime) -> MirroredEvent:
    return MirroredEvent(
        title=event.title,
        description=event.description or "",
        starts_at=moment,
        ends_at=moment + timedelta(minutes=event.duration_minutes),
        location=event.link or event.place or "",
    )
