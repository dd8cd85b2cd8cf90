"""Starts the platform adapters that have tokens, side by side, on one BotApp.

One process serves Telegram and Discord together (the default), or the roles are split over
processes sharing one PostgreSQL database (``champions-bot run --only ROLE``, see
docs/deploy.md):

- ``telegram``: Telegram updates in, Telegram outbox rows out;
- ``discord``: Discord events in, Discord outbox rows out;
- ``dispatcher``: no update in, every platform's outbox rows out (over REST only).

The outbox dispatcher runs in every process for the platforms it can send to; claims keep
each message to one sender.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from enum import StrEnum
from typing import Any

from bot.app import BotApp
from bot.config import Settings
from bot.ops.operations import Operations
from bot.runtime import BackgroundWork
from bot.web import WebServer, start_web_server

log = logging.getLogger(__name__)


def _redacted(error: BaseException, secrets: list[str]) -> str:
    """An adapter's error for the log, without any token in it (PTB quotes a rejected one)."""
    text = f"{type(error).__name__}: {error}"
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class Role(StrEnum):
    """What one process of a split deployment does (``--only``)."""

    TELEGRAM = "telegram"
    DISCORD = "discord"
    DISPATCHER = "dispatcher"


def _adapters(
    app: BotApp,
    settings: Settings,
    background: BackgroundWork,
    operations: Operations,
    *,
    telegram_token: str | None,
    discord_token: str | None,
    only: Role | None,
    web: WebServer | None = None,
) -> list[Coroutine[Any, Any, None]]:
    """The coroutines that run this process's role (every platform with a token by default)."""
    runs: list[Coroutine[Any, Any, None]] = []
    send_only = only is Role.DISPATCHER
    if telegram_token and only in (None, Role.TELEGRAM, Role.DISPATCHER):
        from adapters.telegram.adapter import run_telegram, run_telegram_sender

        report = operations.connection("telegram")
        if send_only:
            runs.append(run_telegram_sender(app, settings, telegram_token, on_connection=report))
        else:  # the webhook is a route of the one HTTP server when they share a port
            route = web.webhook if web is not None else None
            runs.append(
                run_telegram(
                    app, settings, telegram_token, on_connection=report, webhook_route=route
                )
            )
    if discord_token and only in (None, Role.DISCORD, Role.DISPATCHER):
        from adapters.discord.adapter import run_discord, run_discord_sender

        report = operations.connection("discord")
        if send_only:
            runs.append(run_discord_sender(app, settings, discord_token, on_connection=report))
        else:
            # With [discord] mirror_events, the client hands its scheduled-event mirror over
            # once it is connected; the background sweep uses it from then on.
            runs.append(
                run_discord(
                    app,
                    settings,
                    discord_token,
                    on_mirror=background.set_mirror,
                    on_connection=report,
                )
            )
    return runs


async def run_platforms(
    settings: Settings,
    *,
    telegram_token: str | None,
    discord_token: str | None,
    only: Role | None = None,
) -> int:
    """Run Telegram and/or Discord until SIGINT/SIGTERM (exit status 0), until one of them
    stops on its own or storage has been gone for ``[storage] give_up_after_seconds`` (status
    1, so a supervisor restarts the bot)."""
    app = await BotApp.start(settings)
    settling = asyncio.create_task(app.settle_heap())  # once the indexes are built
    background = BackgroundWork(app)
    operations = Operations(app)
    operations.watch(background.dispatcher)
    tasks: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    secrets = [token for token in (telegram_token, discord_token) if token]
    status = 0
    web: WebServer | None = None
    try:
        # calendar feeds, /healthz, /readyz and /metrics, when [http] is configured
        web = await start_web_server(app, operations)
        runs = _adapters(
            app,
            settings,
            background,
            operations,
            telegram_token=telegram_token,
            discord_token=discord_token,
            only=only,
            web=web,
        )
        tasks = [asyncio.create_task(run) for run in runs]
        await background.start()  # adapters register their messengers as they connect
        stopper = asyncio.create_task(stop.wait())
        gave_up = asyncio.create_task(app.health.gave_up.wait())
        done, _pending = await asyncio.wait(
            [*tasks, stopper, gave_up], return_when=asyncio.FIRST_COMPLETED
        )
        for task in done if not app.health.gave_up.is_set() else ():
            if task is stopper:
                continue
            status = 1
            error = task.exception()
            if error is None:
                log.error("an adapter stopped on its own")
            else:
                log.error("an adapter stopped: %s", _redacted(error, secrets))
        if app.health.gave_up.is_set():
            status = 1  # health logged why; what was held stays with the platform
        stopper.cancel()
        gave_up.cancel()
    finally:
        if web is not None:
            await web.stop()
        await background.stop()
        for task in (*tasks, settling):
            task.cancel()
        await asyncio.gather(*tasks, settling, return_exceptions=True)
        await app.close()
    return status
