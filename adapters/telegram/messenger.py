"""The Messenger port on Telegram: a core Reply becomes one or more Bot API messages.

Text goes as HTML split into 4096-character messages; buttons become an inline keyboard on the
last message (callback data = the button's action, which the core keeps within 64 bytes);
attachments follow as documents, pictures (PNG, JPEG) as photos. Thread-aware replies (the
hints of :class:`Reply`): ``open_thread`` opens a forum topic for the message when the chat
is a forum, ``reply_to`` answers a message of a plain group, ``thread`` renames, closes or
reopens the topic (see :mod:`adapters.telegram.topics`). A failure that trying again will not
fix (the person blocked the bot or never opened a chat with it, the chat is gone) becomes a
:class:`DeliveryError`.

A send that may have reached the chat without our knowing (a timeout or a dropped connection
after the request was written, or a failure after a first piece of a long reply was accepted)
becomes a :class:`MaybeDeliveredError`: Telegram gives bots neither an idempotency key nor the
chat's history, so only the outbox can decide whether to repeat it (docs/delivery.md).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from adapters.shorten import shorten
from adapters.telegram.convert import GENERAL_TOPIC_ID
from adapters.telegram.render import render_chunks
from adapters.telegram.request import may_have_arrived
from adapters.telegram.topics import drop_topic, open_topic, show_state
from bot.core.messages import Attachment, Platform, Recipient, Reply, SentMessage, ThreadStatus
from bot.core.ports import DeliveryError, MaybeDeliveredError, RateLimitedError

log = logging.getLogger(__name__)


class NotStartedError(DeliveryError):
    """The person never opened a private chat with the bot (or blocked it): Telegram forbids
    a bot to write first. Only they can fix it, by pressing Start."""


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(shorten(button.label, 64) or "…", callback_data=button.action)
                for button in row
            ]
            for row in reply.buttons
        ]
    )


PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024
"""Telegram shows a picture up to 10 MB with ``sendPhoto``; larger ones go as documents."""


def is_photo(attachment: Attachment) -> bool:
    """A chart or picture the chat should show (``sendPhoto``) rather than offer as a file."""
    return attachment.mime_type in PHOTO_TYPES and len(attachment.data) <= PHOTO_MAX_BYTES


def thread_of(recipient: Recipient) -> int | None:
    """The topic to post in; never the General topic (Telegram refuses ``1``)."""
    if recipient.private or not recipient.thread_id:
        return None
    thread = int(recipient.thread_id)
    return None if thread == GENERAL_TOPIC_ID else thread


class TelegramMessenger:
    """Sends core replies with a PTB :class:`telegram.Bot` (rate limiting and retries live in
    the bot's request layer, see :mod:`adapters.telegram.app`)."""

    platform = Platform.TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        if reply.meeting_place is not None:  # never post a private welcome in the open
            raise DeliveryError("Telegram has no private meeting places: members get a link")
        try:
            return await self._deliver(int(recipient.chat_id), recipient, reply)
        except ChatMigrated as migrated:  # a group became a supergroup: follow it once
            return await self._deliver(int(migrated.new_chat_id), recipient, reply)

    async def _deliver(self, chat_id: int, recipient: Recipient, reply: Reply) -> SentMessage:
        """Open a topic or show a state change around the message itself, as asked."""
        thread_id = thread_of(recipient)
        opened = None
        if reply.open_thread and thread_id is None and not recipient.private:
            thread_id = opened = await open_topic(self.bot, chat_id, reply.open_thread)
        state = reply.thread
        if state and state.status is ThreadStatus.OPEN and thread_id is not None:
            await show_state(self.bot, chat_id, thread_id, state)  # reopen first: then it shows
        try:
            sent = await self._send(chat_id, thread_id, reply, private=recipient.private)
        except MaybeDeliveredError:
            raise  # the topic may hold the message: keep it
        except DeliveryError:
            if opened is not None:  # the outbox will try again: no empty topic left behind
                await drop_topic(self.bot, chat_id, opened)
            raise
        if state and state.status is not ThreadStatus.OPEN and thread_id is not None:
            await show_state(self.bot, chat_id, thread_id, state)
        return sent

    async def _send(
        self, chat_id: int, thread_id: int | None, reply: Reply, *, private: bool = False
    ) -> SentMessage:
        where: dict[str, Any] = {"chat_id": chat_id}
        if thread_id is not None:
            where["message_thread_id"] = thread_id
        answered = reply.reply_to
        reply_parameters = None
        if answered and thread_id is None and not private and answered.isdigit():
            reply_parameters = ReplyParameters(
                message_id=int(answered), allow_sending_without_reply=True
            )
        chunks = render_chunks(reply.body, rtl=reply.rtl)
        markup = keyboard(reply)
        accepted: list[Message] = []
        try:
            for index, chunk in enumerate(chunks):
                last = index == len(chunks) - 1
                message = await self.bot.send_message(
                    text=chunk.html,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    reply_markup=markup if last else None,
                    reply_parameters=reply_parameters if index == 0 else None,
                    **where,
                )
                accepted.append(message)
            for attachment in reply.attachments:
                upload = InputFile(attachment.data, filename=attachment.filename)
                if is_photo(attachment):  # shown in the chat, not a file to open
                    message = await self.bot.send_photo(photo=upload, **where)
                else:
                    message = await self.bot.send_document(document=upload, **where)
                accepted.append(message)
        except ChatMigrated:
            raise
        except TelegramError as error:
            raise delivery_error(error, chat_id, partly=bool(accepted)) from error
        if not accepted:
            log.warning("nothing to send to %s: empty reply", chat_id)
            return SentMessage(Platform.TELEGRAM, str(chat_id), "", _str(thread_id))
        first = str(accepted[0].message_id)
        return SentMessage(Platform.TELEGRAM, str(chat_id), first, _str(thread_id))


def delivery_error(error: TelegramError, chat_id: int, *, partly: bool) -> DeliveryError:
    """What a Bot API failure means for the outbox; ``partly``: a first piece of the reply
    was accepted before it."""
    if isinstance(error, Forbidden):
        return NotStartedError(f"Telegram refused to write to {chat_id}: {error.message}")
    if isinstance(error, BadRequest):
        return DeliveryError(f"Telegram refused a message to {chat_id}: {error.message}")
    if partly and isinstance(error, NetworkError | RetryAfter):
        return MaybeDeliveredError(f"Telegram shows part of the reply to {chat_id}: {error}")
    if isinstance(error, RetryAfter):  # the rate limiter's own retries are used up
        wait = error.retry_after
        seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
        # Telegram does not say which limit a 429 is for; one to a chat's send is taken as
        # that chat's (its 1-a-second or 20-a-minute limit). The dispatcher pauses the
        # platform when several chats meet one at once (the bot's overall limit).
        return RateLimitedError(
            f"Telegram rate limit for {chat_id}", retry_after=seconds, scope="chat"
        )
    if isinstance(error, NetworkError) and may_have_arrived(error):
        return MaybeDeliveredError(f"Telegram may have the message to {chat_id}: {error}")
    if isinstance(error, NetworkError):
        return DeliveryError(f"Telegram unreachable for {chat_id}: {error}", retryable=True)
    return DeliveryError(f"Telegram error for {chat_id}: {error}")


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)
