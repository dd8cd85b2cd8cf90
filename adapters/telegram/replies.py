"""Sending the core's replies for one Telegram update, each where it belongs.

``HERE`` and the core's ``POINTER`` go to the same chat and topic, ``PRIVATE``/``EPHEMERAL`` to
the person's private chat. Telegram forbids a bot to write first to someone, so when that fails
for a request made in a group, the bot says so in the group with a link that opens the private
chat (instead of the pointer). A button press's short ephemeral reply is shown as the button's
own alert.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from adapters.telegram.application import TelegramApplication
from adapters.telegram.messenger import NotStartedError, TelegramMessenger
from adapters.telegram.render import utf16_len
from bot.core.i18n import N_, Translator, normalize_language
from bot.core.messages import (
    Destination,
    PlaceKind,
    Platform,
    Recipient,
    Reply,
    Request,
)
from bot.core.ports import DeliveryError
from bot.core.richtext import Link, doc, line

log = logging.getLogger(__name__)

START_PAYLOAD = "welcome"
"""Deep-link payload of the "open a private chat" link; ``/start welcome`` greets normally."""
CALLBACK_ANSWER_LIMIT = 200

NOT_STARTED = N_(
    "{name}, I could not write to you privately: Telegram only lets me write to people who "
    "opened a chat with me."
)
OPEN_CHAT = N_("Open a private chat with me")
THEN_RETRY = N_(", press Start, then try again.")


class TelegramReplies:
    """Answers a button press and sends an update's replies; mixed into
    :class:`~adapters.telegram.adapter.TelegramAdapter`."""

    application: TelegramApplication
    messenger: TelegramMessenger

    @property
    def bot_username(self) -> str | None:
        try:
            return str(self.application.bot.username)
        except RuntimeError:  # before initialize()
            return None

    async def _answer_callback(self, update: Update, replies: list[Reply]) -> list[Reply]:
        """Stop the button's spinner. A short ephemeral reply (e.g. "that event is gone") is
        shown as the button's own alert, seen only by the person who pressed it."""
        query = update.callback_query
        assert query is not None
        shown = next(
            (
                r
                for r in replies
                if r.destination is Destination.EPHEMERAL
                and not r.buttons
                and not r.attachments
                and 0 < utf16_len(r.body.plain()) <= CALLBACK_ANSWER_LIMIT
            ),
            None,
        )
        try:
            if shown is not None:
                await query.answer(text=shown.body.plain(), show_alert=True)
                return [r for r in replies if r is not shown]
            await query.answer()
        except TelegramError as error:  # too old, or answered already on a redelivery
            log.info("callback %s not answered: %s", query.id, error)
        return replies

    def recipient(self, request: Request, reply: Reply) -> Recipient:
        place = request.place
        if reply.destination in (Destination.HERE, Destination.POINTER):
            private = place.kind is PlaceKind.PRIVATE
            return Recipient(Platform.TELEGRAM, place.chat_id, place.thread_id, private=private)
        # private and ephemeral: the person's own chat (its id is their user id)
        return Recipient(Platform.TELEGRAM, request.actor.user_id, None, private=True)

    async def deliver(self, request: Request, replies: list[Reply]) -> None:
        """Send each reply in order; tell a group member once if their private chat is closed.

        The group's pointer ("I sent you my answer privately") goes out only when a private
        message did; when none could, the group reads how to open the private chat instead."""
        told = sent_privately = False
        for reply in replies:
            if reply.destination is Destination.POINTER and (told or not sent_privately):
                continue
            recipient = self.recipient(request, reply)
            try:
                await self.messenger.send(recipient, reply)
                sent_privately |= recipient.private
            except NotStartedError as error:
                if request.place.kind is PlaceKind.PRIVATE or told:
                    log.info("%s", error)
                    continue
                told = True
                await self._tell_to_start(request)
            except DeliveryError as error:
                log.warning("reply to update %s not delivered: %s", request.update_id, error)

    async def _tell_to_start(self, request: Request) -> None:
        translator = Translator(normalize_language(request.actor.locale) or "en")
        link = f"https://t.me/{self.bot_username}?start={START_PAYLOAD}"
        notice = Reply(
            body=doc(
                line(translator.gettext(NOT_STARTED, name=request.actor.display_name)),
                line(Link(translator.gettext(OPEN_CHAT), link), translator.gettext(THEN_RETRY)),
            ),
            rtl=translator.rtl,
        )
        where = Recipient(Platform.TELEGRAM, request.place.chat_id, request.place.thread_id)
        try:
            await self.messenger.send(where, notice)
        except DeliveryError as error:
            log.warning("could not tell %s to open a chat: %s", request.actor.user_id, error)
