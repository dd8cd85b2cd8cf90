"""Telling the sender of an update held for storage that their answer is coming.

Once per person and outage (:class:`bot.health.OutageNotices`), and only for what expects an
answer: a command, a button, a private message. A reply in a group (no command) is held
without a word; a button's spinner is stopped either way, with the notice as its alert.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from adapters.telegram.convert import request_from_update
from adapters.telegram.messenger import TelegramMessenger
from bot.core.i18n import Translator, normalize_language
from bot.core.messages import PlaceKind, Platform, Recipient, Reply, RequestKind
from bot.core.ports import DeliveryError
from bot.core.richtext import doc, line
from bot.health import HELD_NOTICE, OutageNotices

log = logging.getLogger(__name__)


async def tell_held(
    update: Update,
    *,
    bot_username: str | None,
    notices: OutageNotices,
    messenger: TelegramMessenger,
) -> None:
    request = request_from_update(update, bot_username)
    if request is None:
        return
    translator = Translator(normalize_language(request.actor.locale) or "en")
    notice = translator.gettext(HELD_NOTICE)
    first = notices.first(request.actor.user_id)
    query = update.callback_query
    try:
        if query is not None:
            await query.answer(text=notice if first else None, show_alert=first)
            return
        expects_answer = (
            request.kind in (RequestKind.COMMAND, RequestKind.BUTTON)
            or request.place.kind is PlaceKind.PRIVATE
        )
        if first and expects_answer:
            where = Recipient(Platform.TELEGRAM, request.place.chat_id, request.place.thread_id)
            await messenger.send(where, Reply(body=doc(line(notice)), rtl=translator.rtl))
    except (TelegramError, DeliveryError) as error:
        log.info("could not tell %s to wait: %s", request.actor.user_id, error)
