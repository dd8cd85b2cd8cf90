"""A question's state on Discord: the post or thread renamed, tagged "Solved", archived.

Forum channels may offer a tag named "Solved" (any case); when they do, a solved post gets
it and a reopened one loses it. Refusals (missing "Manage Threads", a deleted thread) are
logged: the state message itself is delivered anyway.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import discord

from adapters.shorten import shorten
from bot.core.messages import SOLVED_MARK, ThreadState, ThreadStatus

log = logging.getLogger(__name__)

THREAD_NAME_LIMIT = 100
SOLVED_TAG = "solved"
"""Name (compared case-insensitively) of the forum tag applied to solved posts."""


def state_name(title: str, state: ThreadStatus) -> str:
    """The thread's name for its state: the title (whole words), marked when solved."""
    name = (SOLVED_MARK if state is ThreadStatus.SOLVED else "") + " ".join(title.split())
    return shorten(name, THREAD_NAME_LIMIT) or "…"


def _tags(thread: discord.Thread, state: ThreadStatus) -> list[discord.ForumTag] | None:
    """The post's tags for its new state, or ``None`` when they need no change."""
    forum = thread.parent
    if not isinstance(forum, discord.ForumChannel):
        return None
    solved = next((t for t in forum.available_tags if t.name.casefold() == SOLVED_TAG), None)
    if solved is None:
        return None
    current = list(thread.applied_tags)
    if state is ThreadStatus.SOLVED and solved not in current:
        return [*current, solved][:5]  # Discord allows five tags on a post
    if state is ThreadStatus.OPEN and solved in current:
        return [t for t in current if t.id != solved.id]
    return None


async def show_state(client: discord.Client, thread_id: int, change: ThreadState) -> None:
    """Rename (``✅`` when solved), tag and archive or unarchive a thread for its new state."""
    state, title = change.status, change.title
    try:
        channel = client.get_channel(thread_id) or await client.fetch_channel(thread_id)
        if not isinstance(channel, discord.Thread):
            return
        if state is ThreadStatus.DELETED:  # removed by the moderators: the post goes, where we may
            await channel.delete()
            return
        changes: dict[str, Any] = {}
        if title:
            changes["name"] = state_name(title, state)
        tags = _tags(channel, state)
        if tags is not None:
            changes["applied_tags"] = tags
        if state is ThreadStatus.CLOSED:
            changes["archived"] = True
        elif state is ThreadStatus.OPEN and channel.archived:
            changes["archived"] = False
        if changes:
            await channel.edit(**changes)
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as refused:
        # The message is out already: a failed rename or tag must not fail the delivery.
        log.warning("thread %s not updated to %s: %s", thread_id, state, refused)
