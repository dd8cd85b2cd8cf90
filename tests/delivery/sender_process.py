"""A dispatcher in a process of its own, for the kill -9 tests and ``bench/crash.py``.

    python -m tests.delivery.sender_process --db URL --platform telegram|discord --api URL

It runs what a bot process runs for background sends (the real messenger over python-telegram-bot
or discord.py, the dispatcher and its APScheduler wake-ups) against a loopback server, prints
``ready`` once started, and runs until it is killed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.app import BotApp
from bot.config import DiscordConfig, RemindersConfig, Settings, StorageConfig, TelegramConfig
from bot.core.ports import Messenger
from bot.delivery.dispatcher import Dispatcher, DispatchScheduler

TOKEN = "123456:TEST-token"


async def messenger_for(platform: str, settings: Settings, *, wait: float = 10) -> Messenger:
    """The platform's real messenger, logged in (no polling, no gateway: sends only), waiting
    ``wait`` seconds for an answer."""
    if platform == "telegram":
        from adapters.telegram.application import Tuning, build_application
        from adapters.telegram.messenger import TelegramMessenger

        tuning = Tuning(
            overall_per_second=5000, group_per_minute=600_000, read_timeout=wait, backoff=0.01
        )
        application = build_application(settings, TOKEN, tuning)
        await application.initialize()
        return TelegramMessenger(application.bot)
    import discord

    from adapters.discord.adapter import point_at
    from adapters.discord.messenger import DiscordMessenger

    point_at(settings)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(TOKEN)
    return DiscordMessenger(client, settings.discord, send_timeout=wait)


async def close(messenger: Messenger) -> None:
    """Log the messenger out (its HTTP sessions closed)."""
    bot = getattr(messenger, "bot", None)
    if bot is not None:
        await bot.shutdown()
    client = getattr(messenger, "client", None)
    if client is not None:
        await client.close()


async def main(args: argparse.Namespace) -> None:
    settings = Settings(
        storage=StorageConfig(url=args.db),
        reminders=RemindersConfig(
            send_rates={args.platform: args.rate},
            concurrency=args.concurrency,
            lease_seconds=args.lease,
            sweep_seconds=5,
        ),
        telegram=TelegramConfig(api_base_url=args.api),
        discord=DiscordConfig(api_base_url=args.api),
    )
    app = await BotApp.start(settings, migrate=False)
    app.add_messenger(await messenger_for(args.platform, settings))
    scheduler = DispatchScheduler(Dispatcher(app))
    scheduler.start()
    await scheduler.arm()
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--platform", choices=["telegram", "discord"], required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--lease", type=int, default=15)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    asyncio.run(main(parser.parse_args()))
