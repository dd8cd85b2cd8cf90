"""``champions-bot doctor``: is this deployment able to run, and if not, what to fix.

Checks, each printed on one line (``ok`` or ``PROBLEM`` with a fix):

- the configuration file loads (every problem the loader finds);
- the database answers and has every migration;
- each platform token set in the environment, against its platform: Telegram ``getMe``
  (and privacy mode), Discord ``/users/@me``;
- Telegram's webhook as Telegram sees it (``getWebhookInfo``) against ``[telegram]``;
- the Discord Message Content intent when ``read_thread_replies`` needs it, the bot's
  presence in ``guild_id`` and its permissions in every configured channel.

Exit status 0 when all is well, 1 when something must be fixed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import aiohttp

from bot.config import (
    DISCORD_TOKEN_ENV,
    TELEGRAM_TOKEN_ENV,
    ConfigError,
    Settings,
    load_settings,
)
from bot.ops.doctor.database import check_database
from bot.ops.doctor.discord import check_discord
from bot.ops.doctor.findings import Finding, ok, problem
from bot.ops.doctor.telegram import check_telegram

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15)

__all__ = ["Finding", "diagnose", "run_doctor"]


async def diagnose(settings: Settings, environ: Mapping[str, str]) -> list[Finding]:
    """Every finding about ``settings`` and the tokens in ``environ``."""
    found = [ok("config", "loaded")]
    found += await check_database(settings.storage.url)
    telegram = environ.get(TELEGRAM_TOKEN_ENV, "").strip()
    discord = environ.get(DISCORD_TOKEN_ENV, "").strip()
    if not telegram and not discord:
        found.append(
            ok(
                "platforms",
                f"no {TELEGRAM_TOKEN_ENV} or {DISCORD_TOKEN_ENV}: `champions-bot run` starts "
                "the console",
            )
        )
        return found
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
        if telegram:
            found += await check_telegram(settings, telegram, session, dict(environ))
        if discord:
            found += await check_discord(settings, discord, session)
    return found


def run_doctor(
    config: str | Path | None,
    *,
    database_url: str | None = None,
    environ: Mapping[str, str] = os.environ,
    out: TextIO = sys.stdout,
) -> int:
    try:
        settings = load_settings(config, database_url=database_url)
    except ConfigError as error:
        lines = str(error).splitlines()
        for detail in lines[1:] or lines:
            print(
                problem(
                    "config",
                    f"{lines[0].rstrip(':')}: {detail.strip()}" if lines[1:] else detail,
                    "see config.example.toml for every key and its allowed values",
                ).line(),
                file=out,
            )
        return 1
    found = asyncio.run(diagnose(settings, environ))
    for finding in found:
        print(finding.line(), file=out)
    problems = sum(not finding.ok for finding in found)
    print(
        f"{problems} problem(s) to fix." if problems else "All is well.",
        file=out,
    )
    return 1 if problems else 0
