"""Telegram, wired: a python-telegram-bot ``Application`` that hands every update to the core.

Every message, command and button press becomes a core :class:`Request`; the replies go back
where they belong: ``HERE`` and the core's ``POINTER`` to the same chat and topic,
``PRIVATE``/``EPHEMERAL`` to the person's private chat. Telegram forbids a bot to write first
to someone, so when that fails for a request made in a group, the bot says so in the group
with a link that opens the private chat (instead of the pointer).

Updates are handled one at a time (PTB's default), so replies keep their order in every chat.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    InlineQueryHandler,
    TypeHandler,
)
from telegram.request import HTTPXRequest

from adapters.telegram.convert import request_from_update
from adapters.telegram.inline import answer, request_from_inline
from adapters.telegram.menu import admin_places, publish_menus
from adapters.telegram.messenger import NotStartedError, TelegramMessenger
from adapters.telegram.render import utf16_len
from adapters.telegram.request import RetryingRequest
from bot.app import BotApp
from bot.config import ConfigError, Settings
from bot.core.i18n import N_, Translator, normalize_language
from bot.core.messages import Destination, PlaceKind, Platform, Recipient, Reply, Request
from bot.core.ports import DeliveryError
from bot.core.richtext import Link, doc, line

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query", "inline_query")
START_PAYLOAD = "welcome"
"""Deep-link payload of the "open a private chat" link; ``/start welcome`` greets normally."""
CALLBACK_ANSWER_LIMIT = 200

NOT_STARTED = N_(
    "{name}, I could not write to you privately: Telegram only lets me write to people who "
    "opened a chat with me."
)
OPEN_CHAT = N_("Open a private chat with me")
THEN_RETRY = N_(", press Start, then try again.")

TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True)
class Tuning:
    """Limits and timings; production uses the defaults, tests turn the waits down."""

    attempts: int = 5
    """Tries for a call that meets a 5xx answer or a dropped connection."""
    backoff: float = 0.5
    max_backoff: float = 30.0
    rate_retries: int = 5
    """How often a call answered 429 is retried after waiting ``retry_after``."""
    overall_per_second: float = 30
    group_per_minute: float = 20
    poll_timeout: int = 30
    """Long-polling ``timeout`` of getUpdates, in seconds."""
    read_timeout: float = 15.0


def file_url(api_base_url: str) -> str:
    """The file download base that goes with an API base: ``…/bot`` → ``…/file/bot``."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def build_application(
    settings: Settings, token: str, tuning: Tuning = Tuning()
) -> TelegramApplication:
    """The PTB application: API base from config, rate limiter, retrying HTTP layer."""
    config = settings.telegram
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(config.api_base_url)
        .base_file_url(file_url(config.api_base_url))
        .request(
            RetryingRequest(
                attempts=tuning.attempts,
                backoff=tuning.backoff,
                max_backoff=tuning.max_backoff,
                connection_pool_size=16,
                read_timeout=tuning.read_timeout,
            )
        )
        .get_updates_request(HTTPXRequest(read_timeout=tuning.read_timeout))
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=tuning.overall_per_second,
                overall_time_period=1,
                group_max_rate=tuning.group_per_minute,
                group_time_period=60,
                max_retries=tuning.rate_retries,
            )
        )
        .build()
    )


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every webhook call (from the environment)."""
    name = settings.telegram.webhook_secret_env
    secret = os.environ.get(name, "").strip()
    if not secret:
        raise ConfigError(f"telegram.mode is 'webhook': set the secret token in ${name}")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError(f"${name}: use 1-256 characters A-Z, a-z, 0-9, _ and -")
    return secret


class TelegramAdapter:
    """One Telegram bot serving one :class:`BotApp`."""

    def __init__(
        self, app: BotApp, settings: Settings, token: str, *, tuning: Tuning = Tuning()
    ) -> None:
        self.app = app
        self.settings = settings
        self.tuning = tuning
        self.application = build_application(settings, token, tuning)
        # Inline queries come one per keystroke and change nothing: they need not wait
        # behind other updates (block=False), and never reach the catch-all below.
        self.application.add_handler(InlineQueryHandler(self._on_inline_query, block=False))
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self.messenger = TelegramMessenger(self.application.bot)

    @property
    def bot_username(self) -> str | None:
        try:
            return str(self.application.bot.username)
        except RuntimeError:  # before initialize()
            return None

    # lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Log in (getMe), publish the menus, and start polling or the webhook server."""
        secret = webhook_secret(self.settings) if self.settings.telegram.mode == "webhook" else None
        await self.application.initialize()
        try:
            await publish_menus(
                self.application.bot, self.app.registry, await admin_places(self.app)
            )
        except TelegramError as error:  # the menu is a convenience: serve without it
            log.warning("command menus not published: %s", error)
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        config = self.settings.telegram
        if config.mode == "webhook":
            if not config.public_url:
                raise ConfigError("telegram.mode is 'webhook': set telegram.public_url")
            await updater.start_webhook(
                listen=config.listen,
                port=config.port,
                url_path=urlsplit(config.public_url).path.lstrip("/"),
                webhook_url=config.public_url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
        else:
            await updater.start_polling(
                poll_interval=0,
                timeout=self.tuning.poll_timeout,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
        self.app.add_messenger(self.messenger)
        log.info("Telegram bot @%s running (%s)", self.bot_username, config.mode)

    async def stop(self) -> None:
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    # updates -------------------------------------------------------------------------

    async def _on_update(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        request = request_from_update(update, self.bot_username)
        replies = await self.app.handle(request) if request is not None else []
        if update.callback_query is not None:
            replies = await self._answer_callback(update, replies)
        if request is not None:
            await self.deliver(request, replies)

    async def _on_inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        if query is None:
            return
        replies = await self.app.handle(request_from_inline(update.update_id, query))
        try:
            await answer(query, replies)
        except TelegramError as error:  # the person typed on: this query is too old now
            log.info("inline query %s not answered: %s", query.id, error)

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

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling a Telegram update", exc_info=context.error)


async def run_telegram(
    app: BotApp,
    settings: Settings,
    token: str,
    *,
    on_connection: Callable[[bool], None] | None = None,
) -> None:
    """Run the Telegram bot until cancelled, then stop it cleanly.

    ``on_connection`` hears ``True`` once updates flow (polling or the webhook started) and
    ``False`` when the adapter stops (readiness, see :mod:`bot.ops.readiness`).
    """
    adapter = TelegramAdapter(app, settings, token)
    try:
        await adapter.start()  # inside the try: a failed start still shuts PTB down
        if on_connection is not None:
            on_connection(True)
        await asyncio.Event().wait()
    finally:
        if on_connection is not None:
            on_connection(False)
        await adapter.stop()


async def run_telegram_sender(
    app: BotApp,
    settings: Settings,
    token: str,
    *,
    on_connection: Callable[[bool], None] | None = None,
) -> None:
    """Only send: the outbox's Telegram rows go out from this process, no update comes in
    (``champions-bot run --only dispatcher``). No polling, no webhook, no menus; the token is
    checked with getMe at start."""
    application = build_application(settings, token)
    try:
        await application.initialize()
        app.add_messenger(TelegramMessenger(application.bot))
        if on_connection is not None:
            on_connection(True)
        await asyncio.Event().wait()
    finally:
        if on_connection is not None:
            on_connection(False)
        await application.shutdown()
