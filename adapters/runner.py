"""Starts the platform adapters that have tokens, side by side, on one BotApp.

One process serves Telegram and Discord together (the default), or each in its own process
sharing a PostgreSQL database (scale-out): start each with only its own token set. The
outbox dispatcher runs in every process; claims keep each message to one sender.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from bot.app import BotApp
from bot.config import Settings
from bot.runtime import BackgroundWork
from bot.web import WebServer, start_web_server

log = logging.getLogger(__name__)


def _redacted(error: BaseException, secrets: list[str]) -> str:
    """An adapter's error for the log, without any token in it (PTB quotes a rejected one)."""
    text = f"{type(error).__name__}: {error}"
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


async def run_platforms(
    settings: Settings, *, telegram_token: str | None, discord_token: str | None
) -> int:
    """Run Telegram and/or Discord until SIGINT/SIGTERM (exit status 0) or until one of them
    stops on its own (status 1, so a supervisor restarts the bot)."""
    app = await BotApp.start(settings)
    background = BackgroundWork(app)
    runs: list[Coroutine[Any, Any, None]] = []
    if telegram_token:
        from adapters.telegram.adapter import run_telegram

        runs.append(run_telegram(app, settings, telegram_token))
    if discord_token:
        from adapters.discord.adapter import run_discord

        # With [discord] mirror_events, the client hands its scheduled-event mirror over once
        # it is connected; the background sweep uses it from then on.
        runs.append(run_discord(app, settings, discord_token, on_mirror=background.set_mirror))
    tasks = [asyncio.create_task(run) for run in runs]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    secrets = [token for token in (telegram_token, discord_token) if token]
    status = 0
    web: WebServer | None = None
    try:
        web = await start_web_server(app)  # calendar feeds, when [http] is configured
        await background.start()  # adapters register their messengers as they connect
        stopper = asyncio.create_task(stop.wait())
        done, _pending = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is stopper:
                continue
            status = 1
            error = task.exception()
            if error is None:
                log.error("an adapter stopped on its own")
            else:
                log.error("an adapter stopped: %s", _redacted(error, secrets))
        stopper.cancel()
    finally:
        if web is not None:
            await web.stop()
        await background.stop()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await app.close()
    return status
