"""The bot's own web server: calendar feeds that calendar apps subscribe to, and the
operations routes a supervisor reads.

A small aiohttp application, started by ``champions-bot run`` when ``[http]`` is configured
::

    GET /calendar/<token>.ics             a member's private feed (404 once revoked)
    GET /calendar/community/<slug>.ics    a community's public feed (``public_feeds``)
    GET /files/<token>/<file name>        a file a champion shared, once approved (404 before)
    GET /healthz, /readyz, /metrics       liveness, readiness, Prometheus (:mod:`bot.ops.http`)
    POST <path of [telegram] public_url>  the Telegram webhook, when ``[telegram] port`` is
                                          ``[http] port`` (:func:`shared_webhook_path`; else the
                                          webhook has its own listener on its own port)

Responses are ``text/calendar; charset=utf-8`` with a strong ``ETag`` (a repeated fetch of an
unchanged feed is a bodiless 304) and ``Cache-Control: no-cache``, so clients and proxies
revalidate on every refresh and see a reschedule at once. The access log never shows a token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.app import BotApp
from bot.config import HttpConfig, Settings
from bot.features.contributions.serving import shared_file_headers
from bot.features.events.feeds import Feed, community_feed, member_feed
from bot.ops.http import OPS_PATHS, add_ops_routes
from bot.ops.operations import Operations
from storage.errors import StorageUnavailable

log = logging.getLogger(__name__)

BOT_APP = web.AppKey("bot_app", BotApp)
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
_PRIVATE_FEED = re.compile(r"^/calendar/(?!community/)[^/]+\.ics$")
_SHARED_FILE = re.compile(r"^/files/[^/]+/")


class RedactedAccessLogger(AbstractAccessLogger):
    """The access log, with private feed tokens replaced by ``***``."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if request.path in OPS_PATHS and response.status < 400:
            return  # probes and scrapes every few seconds would drown the log
        path = _PRIVATE_FEED.sub("/calendar/***.ics", request.path)
        path = _SHARED_FILE.sub("/files/***/", path)
        self.logger.info("%s %s %s %.3fs", request.method, path, response.status, time)


def _calendar_response(request: web.Request, feed: Feed | None) -> web.StreamResponse:
    if feed is None:
        raise web.HTTPNotFound(text="No such calendar.\n")
    headers = {"ETag": feed.etag, "Cache-Control": "no-cache"}
    if feed.etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        return web.Response(status=304, headers=headers)
    return web.Response(
        body=feed.body,
        headers={
            **headers,
            "Content-Type": CALENDAR_CONTENT_TYPE,
            "Content-Disposition": 'inline; filename="calendar.ics"',
        },
    )


async def _member_feed(request: web.Request) -> web.StreamResponse:
    async with request.app[BOT_APP].database.unit_of_work() as uow:
        feed = await member_feed(uow, request.match_info["token"])
    return _calendar_response(request, feed)


async def _community_feed(request: web.Request) -> web.StreamResponse:
    async with request.app[BOT_APP].database.unit_of_work() as uow:
        feed = await community_feed(uow, request.match_info["slug"])
    return _calendar_response(request, feed)


async def _shared_file(request: web.Request) -> web.StreamResponse:
    async with request.app[BOT_APP].database.unit_of_work() as uow:
        shared = await uow.shared_files.served(request.match_info["token"])
    if shared is None or shared.filename != request.match_info["filename"]:
        raise web.HTTPNotFound(text="No such file.\n")
    return web.Response(body=shared.data, headers=shared_file_headers(shared))


@web.middleware
async def _storage_outage(request: web.Request, handler: Any) -> web.StreamResponse:
    """While the database is away a feed cannot be read: 503 with Retry-After tells calendar
    apps to come back (a 500 would look like a broken feed, and some drop it)."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except StorageUnavailable:
        return web.Response(
            status=503,
            text="The calendar is briefly unavailable; try again in a minute.\n",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )


RETRY_AFTER_SECONDS = 60


def shared_webhook_path(settings: Settings) -> str | None:
    """The path of the Telegram webhook when it is served by this server (webhook mode with
    ``[telegram] port`` equal to ``[http] port``: one server, one port); None otherwise."""
    telegram, http = settings.telegram, settings.http
    if telegram.mode != "webhook" or http is None or telegram.port != http.port:
        return None
    return "/" + urlsplit(telegram.public_url or "").path.lstrip("/")


Receiver = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LateRoute:
    """A route whose handler an adapter supplies once it has started (the server starts
    first). Until then, and after the adapter stops, calls get 503: Telegram delivers the
    update again later."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.handler: Receiver | None = None

    async def receive(self, request: web.Request) -> web.StreamResponse:
        if self.handler is None:
            return web.Response(status=503, headers={"Retry-After": "5"})
        return await self.handler(request)


def build_web_app(
    app: BotApp,
    http: HttpConfig,
    operations: Operations | None = None,
    webhook: LateRoute | None = None,
) -> web.Application:
    web_app = web.Application(middlewares=[_storage_outage])
    web_app[BOT_APP] = app
    if webhook is not None:
        web_app.router.add_post(webhook.path, webhook.receive)
    web_app.router.add_get("/calendar/{token:[A-Za-z0-9_-]+}.ics", _member_feed)
    web_app.router.add_get("/files/{token:[A-Za-z0-9_-]+}/{filename:[^/]+}", _shared_file)
    if http.public_feeds:
        web_app.router.add_get("/calendar/community/{slug:[a-z0-9-]+}.ics", _community_feed)
    if operations is not None:
        add_ops_routes(web_app, operations)
    return web_app


class WebServer:
    """Runs :func:`build_web_app` on ``[http] listen:port`` until :meth:`stop`."""

    def __init__(self, app: BotApp, http: HttpConfig, operations: Operations | None = None) -> None:
        self.http = http
        path = shared_webhook_path(app.settings)
        self.webhook = LateRoute(path) if path is not None else None
        """The Telegram webhook's route on this server, when it is served here."""
        self.runner = web.AppRunner(
            build_web_app(app, http, operations, self.webhook),
            access_log_class=RedactedAccessLogger,
        )
        self.site: web.TCPSite | None = None

    async def start(self) -> None:
        await self.runner.setup()
        self.site = web.TCPSite(self.runner, self.http.listen, self.http.port)
        await self.site.start()
        log.info(
            "HTTP server (calendar feeds, health, metrics) on %s:%s as %s",
            self.http.listen,
            self.port,
            self.http.public_url,
        )

    @property
    def port(self) -> int:
        """The port listened on (the one the system chose when ``port = 0``)."""
        addresses: list[Any] = self.runner.addresses
        return int(addresses[0][1])

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_web_server(app: BotApp, operations: Operations | None = None) -> WebServer | None:
    """Start the web server when ``[http]`` is configured (with ``/healthz``, ``/readyz`` and
    ``/metrics`` when ``operations`` is given); None otherwise."""
    if app.settings.http is None:
        return None
    server = WebServer(app, app.settings.http, operations)
    await server.start()
    return server
