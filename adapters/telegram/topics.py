"""Forum topics for thread-aware replies: open one per question, mark it solved or closed.

The bot needs to be an admin with the "Manage topics" right in the forum supergroup. Without
it, or in a chat that is not a forum, Telegram answers ``BadRequest``: the message is then
posted in the chat itself (opening) or simply delivered without the title change (state),
and the refusal is logged for the operator.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from adapters.shorten import shorten, utf16_units
from bot.core.messages import SOLVED_MARK, ThreadState, ThreadStatus

log = logging.getLogger(__name__)

TOPIC_NAME_LIMIT = 128


def topic_name(title: str, state: ThreadStatus | None = None) -> str:
    """The topic's name: the title, with the solved mark when solved, within 1-128 characters
    (UTF-16 code units, as Telegram counts), cut between words."""
    name = (SOLVED_MARK if state is ThreadStatus.SOLVED else "") + " ".join(title.split())
    return shorten(name, TOPIC_NAME_LIMIT, measure=utf16_units) or "…"


async def open_topic(bot: Bot, chat_id: int, title: str) -> int | None:
    """A new topic named ``title``, or ``None`` when the chat has no topics for the bot."""
    try:
        topic = await bot.create_forum_topic(chat_id=chat_id, name=topic_name(title))
    except (BadRequest, Forbidden) as refused:
        log.warning("no topic opened in %s (%s); posting in the chat", chat_id, refused.message)
        return None
    return int(topic.message_thread_id)


async def show_state(bot: Bot, chat_id: int, thread_id: int, change: ThreadState) -> None:
    """Rename the topic for its state and close or reopen it; refusals are logged only."""
    state, title = change.status, change.title
    try:
        if state is ThreadStatus.DELETED:  # removed by the moderators: the topic and all in it go
            await bot.delete_forum_topic(chat_id=chat_id, message_thread_id=thread_id)
            return
        if title:
            await bot.edit_forum_topic(
                chat_id=chat_id, message_thread_id=thread_id, name=topic_name(title, state)
            )
        if state in (ThreadStatus.SOLVED, ThreadStatus.CLOSED):
            await bot.close_forum_topic(chat_id=chat_id, message_thread_id=thread_id)
        elif state is ThreadStatus.OPEN:
            await bot.reopen_forum_topic(chat_id=chat_id, message_thread_id=thread_id)
    except TelegramError as refused:  # the message is out already: never fail the delivery
        log.warning("topic %s in %s not updated to %s: %s", thread_id, chat_id, state, refused)


async def drop_topic(bot: Bot, chat_id: int, thread_id: int) -> None:
    """Delete a topic just opened whose first message failed (best effort, logged)."""
    try:
        await bot.delete_forum_topic(chat_id=chat_id, message_thread_id=thread_id)
    except TelegramError as error:
        log.warning("empty topic %s left in %s: %s", thread_id, chat_id, error)
