"""Looking in a Discord chat for a message the bot may have posted already.

When a post timed out after its request was written, Discord may hold it. Within a few minutes
the nonce settles it (Discord returns the message it has: see :mod:`adapters.discord.messenger`);
after that, the outbox asks the messenger's ``find_sent`` before posting again. Discord does not
keep nonces with messages, so the check reads the chat's latest messages (at most
:data:`HISTORY_LIMIT`, none older than the first attempt minus :data:`LOOK_BACK`) for one by
the bot with the same text; a forum post is looked for among the guild's active threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import discord

HISTORY_LIMIT = 100
"""Messages read back (one request): more than a chat receives in the minutes that count."""

LOOK_BACK = timedelta(minutes=1)
"""Messages up to this much older than the first attempt count too (clocks differ)."""


async def find_message(
    target: discord.abc.Messageable,
    me: int,
    text: str,
    filenames: Sequence[str],
    since: datetime,
) -> discord.Message | None:
    """The bot's latest message in ``target`` showing ``text`` (and, for a message with no
    text, the same files), posted since ``since``."""
    oldest = since - LOOK_BACK
    files = sorted(filenames)
    async for message in target.history(limit=HISTORY_LIMIT):
        if message.created_at < oldest:
            return None
        if message.author.id != me or message.content != text:
            continue
        if text or sorted(a.filename for a in message.attachments) == files:
            return message
    return None


async def find_post(
    forum: discord.ForumChannel, me: int, title: str, text: str, since: datetime
) -> discord.Message | None:
    """The opening message of a post of ``forum`` titled ``title`` that the bot made since
    ``since`` (its id is the post's thread id)."""
    oldest = since - LOOK_BACK
    for thread in await forum.guild.active_threads():
        if thread.parent_id != forum.id or thread.name != title:
            continue
        if thread.created_at is not None and thread.created_at < oldest:
            continue
        async for opening in thread.history(limit=1, oldest_first=True):
            if opening.author.id == me and opening.content == text:
                return opening
    return None
