"""The bot's events as Discord guild scheduled events: the :class:`EventMirror` port.

The core's periodic sweep (:func:`bot.features.events.mirror.mirror_events`) decides *what*
to mirror and remembers the Discord id; this module only speaks discord.py. Each event becomes an
*external* scheduled event (location = the link, or the place of an in-person event) with its
start, end and description; a change edits the same Discord event, a cancellation cancels it.

Discord limits: name 100 characters, description 1000, location 100. Longer text is cut
(a long link or place is also given whole at the top of the description). The description is
rendered as markdown by Discord, so it is escaped like every other piece of user text.
It needs the **Manage Events** permission; without it every call fails with 403 and the sweep
retries later, the rest of the bot carries on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import discord

from adapters.discord.render import escape
from bot.core.ports import MirroredEvent

log = logging.getLogger(__name__)

NAME_LIMIT = 100
DESCRIPTION_LIMIT = 1000
LOCATION_LIMIT = 100
NO_LOCATION = "—"
"""Discord requires a location for an external event; an event with neither link nor place
gets a dash (not a word, so nothing to translate)."""
ELLIPSIS = "…"


class MirrorError(Exception):
    """Discord refused or could not take the scheduled event; the sweep retries it later."""


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, an ellipsis marking a cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def fit_escaped(text: str, limit: int) -> str:
    """Escaped ``text`` of at most ``limit`` characters, never cutting inside an escape."""
    escaped = escape(text.strip())
    if len(escaped) <= limit:
        return escaped
    raw = text.strip()[: limit - 1]
    while raw and len(escape(raw)) > limit - 1:
        raw = raw[: len(raw) - max(1, (len(escape(raw)) - limit + 1) // 2)]
    return escape(raw.rstrip()) + ELLIPSIS


def _is_link(text: str) -> bool:
    """A web link that can be shown as is (``<...>``: clickable, never a masked link)."""
    return text.startswith(("https://", "http://")) and not any(c in text for c in " <>\n")


def event_fields(event: MirroredEvent) -> dict[str, object]:
    """The keyword arguments of ``create_scheduled_event`` / ``ScheduledEvent.edit``."""
    location = event.location.strip() or NO_LOCATION
    description = fit_escaped(event.description, DESCRIPTION_LIMIT)
    if len(location) > LOCATION_LIMIT:  # the whole link or place stays readable (and clickable)
        head = f"<{location}>" if _is_link(location) else fit_escaped(location, 500)
        rest = fit_escaped(event.description, DESCRIPTION_LIMIT - len(head) - 2)
        description = f"{head}\n\n{rest}".strip()
    return {
        "name": cut(event.title, NAME_LIMIT),
        "description": description,
        "start_time": event.starts_at,
        "end_time": event.ends_at,
        "location": cut(location, LOCATION_LIMIT),
        "entity_type": discord.EntityType.external,
        "privacy_level": discord.PrivacyLevel.guild_only,
    }


class DiscordEventMirror:
    """Creates, edits and cancels the scheduled events of one guild (the configured server).

    ``guild`` returns the cached guild (None until the client has received it); calls made
    before that fail with :class:`MirrorError` and are retried by the next sweep.
    """

    def __init__(self, guild: Callable[[], discord.Guild | None]) -> None:
        self._guild = guild

    def guild(self) -> discord.Guild:
        found = self._guild()
        if found is None:
            raise MirrorError("the Discord server is not available yet")
        return found

    async def publish(self, event: MirroredEvent, existing_id: str | None) -> str:
        """Edit the scheduled event ``existing_id`` or, if there is none any more, create one."""
        guild = self.guild()
        fields = event_fields(event)
        try:
            current = await self._fetch(guild, existing_id)
            if current is not None and current.status in (
                discord.EventStatus.scheduled,
                discord.EventStatus.active,
            ):
                # Send the start only when it moved: Discord refuses a start in the past (an
                # edit during the event) and any new start for a running event.
                if current.start_time == event.starts_at or (
                    current.status is discord.EventStatus.active
                ):
                    del fields["start_time"]
                edited = await current.edit(**fields)  # type: ignore[call-overload]
                return str(edited.id)
            # Never created, deleted by hand, or already over in Discord: a new one.
            created = await guild.create_scheduled_event(**fields)  # type: ignore[call-overload]
            return str(created.id)
        except discord.Forbidden as error:
            raise MirrorError(
                "Discord refused the scheduled event: the bot needs the Manage Events permission"
            ) from error
        except discord.HTTPException as error:
            raise MirrorError(f"Discord could not take the scheduled event: {error}") from error

    async def cancel(self, existing_id: str) -> None:
        """Cancel a scheduled event that has not started; end one that is running."""
        guild = self.guild()
        try:
            current = await self._fetch(guild, existing_id)
            if current is None:
                return  # deleted by hand: nothing left to cancel
            if current.status is discord.EventStatus.scheduled:
                await current.cancel()
            elif current.status is discord.EventStatus.active:
                await current.end()
        except discord.Forbidden as error:
            raise MirrorError(
                "Discord refused to cancel the scheduled event: "
                "the bot needs the Manage Events permission"
            ) from error
        except discord.HTTPException as error:
            raise MirrorError(f"Discord could not cancel the scheduled event: {error}") from error

    @staticmethod
    async def _fetch(guild: discord.Guild, event_id: str | None) -> discord.ScheduledEvent | None:
        if not event_id:
            return None
        try:
            return await guild.fetch_scheduled_event(int(event_id))
        except discord.NotFound:
            log.info("scheduled event %s is gone from Discord", event_id)
            return None
