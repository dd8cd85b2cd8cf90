"""The ``champions-bot`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot import __version__
from bot.config import (
    DISCORD_TOKEN_ENV,
    TELEGRAM_TOKEN_ENV,
    ConfigError,
    Settings,
    load_settings,
    token,
)

EXIT_CONFIG = 2


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: $CHAMPIONS_BOT_CONFIG)"
    )
    parser.add_argument("--db", metavar="URL", help="database URL (overrides the config)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="champions-bot",
        description="Champions Bot: peer advice, hub resources, webinars and profiles for the "
        "gender-equality champions network.",
    )
    parser.add_argument("--version", action="version", version=f"champions-bot {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run", help="start every adapter that has a token (the console when none has)"
    )
    _common(run)
    run.add_argument("--as", dest="as_name", default="you", help="console: who you are")
    run.add_argument("--admin", action="append", default=[], help="console: an admin name")

    console = commands.add_parser("console", help="talk to the bot in this terminal")
    _common(console)
    console.add_argument(
        "--as",
        dest="as_name",
        default="you",
        metavar="NAME",
        help="who un-prefixed lines come from (default: you)",
    )
    console.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="NAME",
        help="treat NAME as an admin (repeatable)",
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply every pending migration")
    _common(upgrade)
    return parser


async def _console(settings: Settings, as_name: str, admins: Sequence[str]) -> None:
    from adapters.console import ConsoleAdapter
    from bot.app import BotApp
    from bot.services.background import start_background

    app = await BotApp.start(settings)
    background = start_background(app)  # reminders and notices print as they fall due
    try:
        configured = tuple(settings.admins.console)
        await ConsoleAdapter(app, default_name=as_name, admins=(*configured, *admins)).run()
    finally:
        await background.aclose()
        await app.close()


async def _run(settings: Settings, as_name: str, admins: Sequence[str]) -> int:
    telegram_token = token(TELEGRAM_TOKEN_ENV)
    discord_token = token(DISCORD_TOKEN_ENV)
    if not telegram_token and not discord_token:
        print(
            f"No {TELEGRAM_TOKEN_ENV} or {DISCORD_TOKEN_ENV} set: starting the console "
            f"adapter on {settings.storage.url}.",
            file=sys.stderr,
        )
        await _console(settings, as_name, admins)
        return 0
    from adapters.runner import run_platforms

    await run_platforms(settings, telegram_token=telegram_token, discord_token=discord_token)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = load_settings(args.config, database_url=args.db)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    try:
        if args.command == "db":
            from storage.database import upgrade_sync

            upgrade_sync(settings.storage.url)
            print(f"Database is up to date: {settings.storage.url}")
            return 0
        if args.command == "console":
            asyncio.run(_console(settings, args.as_name, args.admin))
            return 0
        if args.command == "run":
            return asyncio.run(_run(settings, args.as_name, args.admin))
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")
    return EXIT_CONFIG
