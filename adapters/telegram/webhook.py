"""Webhook mode: Telegram calls us, and hears "200 OK" only for an update that was handled.

PTB's own webhook server answers 200 as soon as an update is queued, so an update met by a
database outage was lost. This small aiohttp server hands the update to
:meth:`TelegramAdapter.handle_update` and answers 200 once it returns, or 503 when storage is
unavailable: Telegram then delivers the update again later (the sender is told once that the
answer is coming). Telegram retries a refused update for a limited time only; a long outage is
safer in polling mode, where Telegram keeps unconfirmed updates for 24 hours.

Concurrency: aiohttp handles every call in its own task, and Telegram opens up to
``max_connections`` (``telegram.updates_in_flight``) at once. Telegram's Bot API server sends
one chat's messages one at a time: the next only after we answered the previous one (a 503 keeps
it at the head, so the chat waits), and each person's button presses and inline queries likewise.
What it does not order is one person's updates across chats (a message in a group, a button in
private): :mod:`adapters.lanes` keeps those, and anything of one chat, in the order they arrived.

Every call must carry the secret token given to ``setWebhook``; others get 403.

With ``[telegram] port`` equal to ``[http] port`` the webhook is a route of the bot's one HTTP
server (:mod:`bot.web`, which hands it over as a :class:`bot.web.LateRoute`); otherwise it
listens on its own port.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update

from adapters.lanes import Lanes, keys_of
from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from adapters.telegram.adapter import TelegramAdapter
    from bot.web import LateRoute

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOLD_MEMORY = 1000
"""How many held update ids are remembered, so that each redelivery is not told again."""


class WebhookServer:
    """Receives updates on ``listen:port/path``; registered with ``setWebhook`` at start."""

    def __init__(
        self,
        adapter: TelegramAdapter,
        *,
        listen: str,
        port: int,
        path: str,
        public_url: str,
        secret: str,
        allowed_updates: Sequence[str],
        max_connections: int = 40,
        route: LateRoute | None = None,
    ) -> None:
        self.adapter = adapter
        self.route = route
        """The shared server's route to serve from, instead of a listener of its own."""
        self.listen = listen
        self.port = port
        self.path = "/" + path.lstrip("/")
        self.public_url = public_url
        self.secret = secret
        self.allowed_updates = list(allowed_updates)
        self.max_connections = max_connections
        self.lanes = Lanes()
        self._told: dict[int, None] = {}
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        if self.route is not None:
            self.route.handler = self._receive
        else:
            app = web.Application()
            app.router.add_post(self.path, self._receive)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            await web.TCPSite(self._runner, self.listen, self.port).start()
        await self.adapter.application.bot.set_webhook(
            url=self.public_url,
            secret_token=self.secret,
            allowed_updates=self.allowed_updates,
            drop_pending_updates=False,
            max_connections=self.max_connections,
        )

    async def stop(self) -> None:
        if self.route is not None:
            self.route.handler = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.adapter.application.bot)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            log.warning("webhook call with an unreadable update: %s", error)
            return web.Response(status=400)
        chat, user = update.effective_chat, update.effective_user
        async with self.lanes.turn(keys_of(chat.id if chat else None, user.id if user else None)):
            try:
                await self.adapter.handle_update(update)
            except StorageUnavailable:
                await self._tell(update)
                return web.Response(status=503, headers={"Retry-After": "5"})
        return web.Response(status=200)

    async def _tell(self, update: Update) -> None:
        if update.update_id in self._told:
            return
        self._told[update.update_id] = None
        while len(self._told) > TOLD_MEMORY:
            del self._told[next(iter(self._told))]
        await self.adapter.tell_held(update)
