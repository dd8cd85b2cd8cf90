"""Telegram, wired: a python-telegram-bot ``Application`` that hands every update to the core.

Every message, command and button press becomes a core :class:`Request`; the replies go back
where they belong (:mod:`adapters.telegram.replies`).

Updates of different chats and people are handled at once, each chat's and each person's in
order (:mod:`adapters.lanes`), so replies keep their order in every chat. They come from
:mod:`adapters.telegram.polling` or :mod:`adapters.telegram.webhook`, which PTB's ``Updater``
used to do: both confirm an update to Telegram only once it was handled, so an update met by a
database outage is kept and answered when storage is back (its sender told once, meanwhile,
that the answer is coming).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import TelegramError

from adapters.telegram.application import (
    Tuning,
    build_application,
    webhook_secret,
)
from adapters.telegram.convert import request_from_update
from adapters.telegram.held import tell_held
from adapters.telegram.inline import answer, request_from_inline
from adapters.telegram.menu import admin_places, publish_menus
from adapters.telegram.messenger import TelegramMessenger
from adapters.telegram.polling import Polling
from adapters.telegram.replies import TelegramReplies
from adapters.telegram.request import UpdatesRequest
from adapters.telegram.uploads import with_upload
from adapters.telegram.webhook import WebhookServer
from bot.app import BotApp
from bot.config import ConfigError, Settings
from bot.health import OutageNotices
from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from bot.web import LateRoute


log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query", "inline_query")
STOP_POLL_SECONDS = 2.0
"""At a stop, how long the getUpdates in progress may take to notice it."""


class TelegramAdapter(TelegramReplies):
    """One Telegram bot serving one :class:`BotApp`."""

    def __init__(
        self,
        app: BotApp,
        settings: Settings,
        token: str,
        *,
        tuning: Tuning = Tuning(),
        webhook_route: LateRoute | None = None,
    ) -> None:
        self.app = app
        self.webhook_route = webhook_route
        """The bot's HTTP server's route for the webhook, when the webhook is served there."""
        self.settings = settings
        self.tuning = tuning
        self.updates_request = UpdatesRequest(
            connection_pool_size=2, read_timeout=tuning.read_timeout
        )
        """getUpdates' HTTP layer: polling tells it which updates it has (not parsed again)."""
        self.application = build_application(
            settings, token, tuning, updates_request=self.updates_request
        )
        self.messenger = TelegramMessenger(self.application.bot)
        self.notices = OutageNotices(app.health)
        self.polling: Polling | None = None
        self.webhook: WebhookServer | None = None
        self._polling_task: asyncio.Task[None] | None = None

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
        config = self.settings.telegram
        if config.mode == "webhook":
            if not config.public_url or secret is None:
                raise ConfigError("telegram.mode is 'webhook': set telegram.public_url")
            self.webhook = WebhookServer(
                self,
                listen=config.listen,
                port=config.port,
                path=urlsplit(config.public_url).path,
                public_url=config.public_url,
                secret=secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=config.updates_in_flight,
                route=self.webhook_route,
            )
            await self.webhook.start()
        else:
            self.polling = Polling(
                self,
                timeout=self.tuning.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                backoff=self.tuning.backoff,
                max_backoff=self.tuning.max_backoff,
                peek_seconds=self.tuning.peek_seconds,
                in_flight=config.updates_in_flight,
                request=self.updates_request,
            )
            self._polling_task = asyncio.create_task(self.polling.run())
        self.app.add_messenger(self.messenger)
        log.info("Telegram bot @%s running (%s)", self.bot_username, config.mode)

    async def serve(self) -> None:
        """Until cancelled; returns if polling ends (the bot gave up on storage)."""
        if self._polling_task is not None:
            await asyncio.shield(self._polling_task)
        else:
            await asyncio.Event().wait()

    async def stop(self) -> None:
        """Stop receiving, confirm to Telegram what was handled (nothing more), shut down."""
        polling = self._polling_task
        self._polling_task = None
        if polling is not None:
            polling.cancel()
            # the HTTP client can swallow the cancellation of a getUpdates waiting for its answer:
            # wait a little, then go on; closing the HTTP client below ends that call.
            await asyncio.wait({polling}, timeout=STOP_POLL_SECONDS)
            if polling.done() and not polling.cancelled() and polling.exception():
                log.error("polling stopped: %s", polling.exception())
        if self.polling is not None:
            await self.polling.finish(self.tuning.drain_seconds)
        if self.webhook is not None:
            await self.webhook.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        if polling is not None and not polling.done():
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(polling, STOP_POLL_SECONDS)

    # updates -------------------------------------------------------------------------

    async def handle_update(self, update: Update) -> None:
        """Handle one update and send its replies.

        Raises :class:`StorageUnavailable` when the update must be kept and tried again (the
        caller does not confirm it to Telegram). Any other failure is logged and the update
        counts as handled: a broken update must not block the ones after it.
        """
        if update.inline_query is not None:
            # One per keystroke, read-only: it need not wait behind other updates.
            self.application.create_task(self._on_inline_query(update), update=update)
            return
        try:
            request = request_from_update(update, self.bot_username)
            if request is not None and update.message is not None:
                limit = self.settings.contributions.max_file_bytes
                request = await with_upload(request, update.message, limit)
            replies = await self.app.handle(request) if request is not None else []
            if update.callback_query is not None:
                replies = await self._answer_callback(update, replies)
            if request is not None:
                await self.deliver(request, replies)
        except StorageUnavailable:
            raise
        except Exception:
            log.exception("error while handling Telegram update %s", update.update_id)

    async def tell_held(self, update: Update) -> None:
        """Tell the sender of a held update, once per outage, that the answer is coming."""
        await tell_held(
            update, bot_username=self.bot_username, notices=self.notices, messenger=self.messenger
        )

    async def _on_inline_query(self, update: Update) -> None:
        query = update.inline_query
        if query is None:
            return
        replies = await self.app.handle(request_from_inline(update.update_id, query))
        try:
            await answer(query, replies)
        except TelegramError as error:  # the person typed on: this query is too old now
            log.info("inline query %s not answered: %s", query.id, error)


async def run_telegram(
    app: BotApp,
    settings: Settings,
    token: str,
    *,
    on_connection: Callable[[bool], None] | None = None,
    webhook_route: LateRoute | None = None,
) -> None:
    """Run the Telegram bot until cancelled, then stop it cleanly.

    ``on_connection`` hears ``True`` once updates flow (polling or the webhook started) and
    ``False`` when the adapter stops (readiness, see :mod:`bot.ops.readiness`).
    ``webhook_route``: serve the webhook on the bot's HTTP server (:mod:`bot.web`).
    """
    adapter = TelegramAdapter(app, settings, token, webhook_route=webhook_route)
    try:
        await adapter.start()  # inside the try: a failed start still shuts PTB down
        if on_connection is not None:
            on_connection(True)
        await adapter.serve()
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
