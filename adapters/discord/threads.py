"""A question's state on Discord: the post or thread renamed, tagged "Solved", archived.

Forum channels may offer a tag named "Solved" (any case); when they do, a solved post gets
it and a reopened one loses it. Refusals (missing "Manage Threads", a deleted thread) are
logged: the state message itself is delivered anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord

from adapters.shorten import shorten
from bot.core.messages import SOLVED_MARK, THREAD_STATE, THREAD_TITLE

log = logging.getLogger(__name__)

THREAD_NAME_LIMIT = 100
SOLVED_TAG = "solved"
"""Name (compared case-insensitively) of the forum tag applied to solved posts."""


def state_name(title: str, state: str) -> str:
    """The thread's name for its state: the title (whole words), marked when solved."""
    name = (SOLVED_MARK if state == "solved" else "") + " ".join(title.split())
    return shorten(name, THREAD_NAME_LIMIT) or "…"


def _tags(thread: discord.Thread, state: str) -> list[discord.ForumTag] | None:
    """The post's tags for its new state, or ``None`` when they need no change."""
    forum = thread.parent
    if not isinstance(forum, discord.ForumChannel):
        return None
    solved = next((t for t in forum.available_tags if t.name.casefold() == SOLVED_TAG), None)
    if solved is None:
        return None
    current = list(thread.applied_tags)
    if state == "solved" and solved not in current:
        return [*current, solved][:5]  # Discord allows five tags on a post
    if state == "open" and solved in current:
        return [t for t in current if t.id != solved.id]
    return None


async def show_state(client: discord.Client, thread_id: int, extra: Mapping[str, Any]) -> None:
    """Rename (``✅`` when solved), tag and archive or unarchive a thread for its new state."""
    state = str(extra.get(THREAD_STATE))
    title = extra.get(THREAD_TITLE)
    try:
        channel = client.get_channel(thread_id) or await client.fetch_channel(thread_id)
        if not isinstance(channel, discord.Thread):
            return
        if state == "deleted":  # removed by the moderators: the post goes, where we may
            await channel.delete()
            return
        changes: dict[str, Any] = {}
        if title:
            changes["name"] = state_name(str(title), state)
        tags = _tags(channel, state)
        if tags is not None:
            changes["applied_tags"] = tags
        if state == "closed":
            changes["archived"] = True
        elif state == "open" and channel.archived:
            changes["archived"] = False
        if changes:
            await channel.edit(**changes)
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as refused:
        # The message is out already: a failed rename or tag must not fail the delivery.
        log.warning("thread %s not updated to %s: %s", thread_id, state, refused)
