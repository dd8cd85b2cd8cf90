"""Telegram updates → core requests. No feature logic: who, where, which command, what text.

Places: a private chat, a group or supergroup, or a topic of a forum supergroup (its
``message_thread_id``). The General topic of a forum has thread id 1 in Telegram's model but
sending with ``message_thread_id=1`` fails, so General is treated as the group itself.
"""

from __future__ import annotations

import re

from telegram import CallbackQuery, Chat, Message, Update, User

from bot.core.messages import Actor, Place, PlaceKind, Platform, Request, RequestKind

GENERAL_TOPIC_ID = 1
_COMMAND = re.compile(
    r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)\s?(.*)$", re.DOTALL
)


def actor_of(user: User) -> Actor:
    """The person behind an update; admin rights are decided by the core, not here."""
    return Actor(
        platform=Platform.TELEGRAM,
        user_id=str(user.id),
        display_name=user.full_name or user.username or str(user.id),
        locale=user.language_code,
        username=user.username,
    )


def topic_of(message: Message) -> str | None:
    """The forum topic a message lives in, or ``None`` (not a forum, or the General topic)."""
    thread = message.message_thread_id
    if not message.is_topic_message or thread is None or thread == GENERAL_TOPIC_ID:
        return None
    return str(thread)


def place_of(message: Message) -> Place:
    chat = message.chat
    title = chat.title
    if chat.type == Chat.PRIVATE:
        return Place(Platform.TELEGRAM, str(chat.id), PlaceKind.PRIVATE, title=title)
    thread_id = topic_of(message) if chat.is_forum else None
    kind = PlaceKind.FORUM if thread_id is not None else PlaceKind.GROUP
    return Place(Platform.TELEGRAM, str(chat.id), kind, thread_id=thread_id, title=title)


def split_command(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """``("profile", "set bio Hi")`` for ``/profile@bot set bio Hi``; ``None`` when the text is
    not a command, or is a command addressed to another bot."""
    match = _COMMAND.match(text)
    if match is None:
        return None
    command, addressee, rest = match.groups()
    if addressee and bot_username and addressee.casefold() != bot_username.casefold():
        return None
    return command.lower(), rest


def _reply_to(message: Message) -> str | None:
    replied = message.reply_to_message
    if replied is None:
        return None
    # In a forum every message "replies" to the topic's first message; that is no reply.
    if message.is_topic_message and replied.message_id == message.message_thread_id:
        return None
    return str(replied.message_id)


def request_from_message(
    update_id: int, message: Message, bot_username: str | None
) -> Request | None:
    """The request for a text message, or ``None`` for what the bot ignores (joins, photos
    without caption in groups, commands for other bots, messages from other bots). A file
    sent privately without caption is a request with no text (its file is attached later,
    :mod:`adapters.telegram.uploads`)."""
    sender = message.from_user
    text = message.text if message.text is not None else message.caption
    carries_file = message.document is not None or bool(message.photo)
    if text is None and carries_file and message.chat.type == Chat.PRIVATE:
        text = ""
    if sender is None or sender.is_bot or text is None:
        return None
    kind, command, rest = RequestKind.TEXT, None, text
    if text.startswith("/"):
        parsed = split_command(text, bot_username)
        if parsed is None and _COMMAND.match(text):
            return None  # a command for another bot in the same group
        if parsed is not None:
            kind, (command, rest) = RequestKind.COMMAND, parsed
    return Request(
        actor=actor_of(sender),
        place=place_of(message),
        kind=kind,
        command=command,
        text=rest,
        update_id=f"{update_id}",
        reply_to=_reply_to(message),
        message_id=str(message.message_id),
    )


def request_from_callback(update_id: int, query: CallbackQuery) -> Request | None:
    """A button press: ``text`` is the button's action (its callback data)."""
    if not query.data:
        return None
    message = query.message
    if isinstance(message, Message):
        place = place_of(message)
        message_id: str | None = str(message.message_id)
    else:  # too old or inaccessible: answer the person privately
        place = Place(Platform.TELEGRAM, str(query.from_user.id), PlaceKind.PRIVATE)
        message_id = None
    return Request(
        actor=actor_of(query.from_user),
        place=place,
        kind=RequestKind.BUTTON,
        command=None,
        text=query.data,
        update_id=f"{update_id}",
        message_id=message_id,
    )


def request_from_update(update: Update, bot_username: str | None) -> Request | None:
    """The core request for an update, or ``None`` when there is nothing to handle."""
    if update.callback_query is not None:
        return request_from_callback(update.update_id, update.callback_query)
    if update.message is not None:
        return request_from_message(update.update_id, update.message, bot_username)
    return None
