"""The ``champions-bot`` command line.

It imports only what the command asked for needs: ``--version`` and ``--help`` load no
feature, ``db`` and ``doctor`` not the bot's features either; ``run``, ``console`` and
``export`` import the bot when they start it. Every feature imported costs each process about
a second of CPU (docs/testing.md), which the tests starting the program paid for nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.errors import StorageUnavailable

EXIT_CONFIG = 2
ROLES = ("telegram", "discord", "dispatcher")
"""``run --only``: the part of a split deployment this process plays (adapters.runner.Role)."""


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
    run.add_argument(
        "--only",
        choices=ROLES,
        help="play one part of a split deployment: telegram or discord (updates in, that "
        "platform's messages out), or dispatcher (every platform's messages out, nothing in)",
    )

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
    copy = db_commands.add_parser(
        "copy", help="copy every row into another, empty database (e.g. SQLite to PostgreSQL)"
    )
    _common(copy)
    copy.add_argument(
        "--to", required=True, metavar="URL", help="the target, e.g. postgresql+asyncpg://..."
    )

    doctor = commands.add_parser(
        "doctor",
        help="check the config, the database, the tokens, the webhook and the Discord "
        "permissions; print what to fix",
    )
    _common(doctor)

    export = commands.add_parser(
        "export", help="write profiles, stories, threads or the digest for the hub or newsletter"
    )
    _common(export)
    export.add_argument(
        "what",
        choices=["profiles", "stories", "threads", "networking", "recognition", "digest"],
    )
    export.add_argument("--format", choices=["json", "csv", "markdown", "html"], default="html")
    export.add_argument("--community", metavar="SLUG", help="default: the main community")
    export.add_argument("--lang", choices=["en", "fr", "es", "ar"], help="labels' language")
    export.add_argument("--output", "-o", metavar="PATH", help="file to write (default: stdout)")

    _hub_commands(commands)
    return parser


def _hub_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``hub import``, ``hub sync`` and ``hub search`` (run by bot/features/hub/cli.py);
    declared here so that reading the arguments imports no feature."""
    hub = commands.add_parser("hub", help="Knowledge Hub catalogue: import and search")
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import", help="import resources from JSON Lines, CSV or RSS/Atom (idempotent)"
    )
    _common(importing)
    importing.add_argument("path", type=Path, help="the file to import")
    importing.add_argument(
        "--format", choices=("jsonl", "csv", "feed"), help="default: from the file"
    )
    sync = actions.add_parser("sync", help="fetch the configured RSS/Atom feeds and import them")
    _common(sync)
    sync.add_argument(
        "--feed", action="append", default=[], metavar="URL", help="a feed (default: [hub] feeds)"
    )
    search = actions.add_parser("search", help="search the catalogue as /resources does")
    _common(search)
    search.add_argument("query", nargs="*", help="words (filters like theme:quotas work too)")
    search.add_argument("--theme")
    search.add_argument("--type")
    search.add_argument("--region")
    search.add_argument("--lang")
    search.add_argument("--limit", type=int, default=5)
    search.add_argument("--json", action="store_true", help="print JSON for scripts")


async def _console(
    settings: Settings,
    as_name: str,
    admins: Sequence[str],
    *,
    serve_http: bool = False,
    announce: str | None = None,
) -> None:
    from adapters.console import ConsoleAdapter
    from bot.app import BotApp
    from bot.ops.operations import Operations
    from bot.runtime import BackgroundWork

    app = await BotApp.start(settings)
    if announce:  # once the database is known to work: a failed start says only why
        print(announce, file=sys.stderr)
    background = BackgroundWork(app)
    operations = Operations(app)
    operations.watch(background.dispatcher)  # the request log; metrics if served
    web = None
    try:
        if serve_http:  # `run` serves calendar feeds, when [http] is configured
            from bot.web import start_web_server

            web = await start_web_server(app, operations)
        configured = tuple(settings.admins.console)
        console = ConsoleAdapter(
            app,
            default_name=as_name,
            admins=(*configured, *admins),
            after_line=background.flush,
        )
        await background.start()
        await console.run()
        await background.flush()
    finally:
        if web is not None:
            await web.stop()
        await background.stop()
        await app.close()


def _role_problem(only: str | None, telegram: str | None, discord: str | None) -> str | None:
    """Why ``--only`` cannot run with the tokens set, if it cannot."""
    from bot.config import DISCORD_TOKEN_ENV, TELEGRAM_TOKEN_ENV

    if only == "telegram" and not telegram:
        return f"--only telegram needs {TELEGRAM_TOKEN_ENV} in the environment."
    if only == "discord" and not discord:
        return f"--only discord needs {DISCORD_TOKEN_ENV} in the environment."
    if only == "dispatcher" and not (telegram or discord):
        return (
            f"--only dispatcher needs {TELEGRAM_TOKEN_ENV} or {DISCORD_TOKEN_ENV} in the "
            "environment (it sends for the platforms whose tokens are set)."
        )
    return None


async def _run(
    settings: Settings, as_name: str, admins: Sequence[str], only: str | None = None
) -> int:
    from bot.config import DISCORD_TOKEN_ENV, TELEGRAM_TOKEN_ENV, token

    telegram_token = token(TELEGRAM_TOKEN_ENV)
    discord_token = token(DISCORD_TOKEN_ENV)
    problem = _role_problem(only, telegram_token, discord_token)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_CONFIG
    if not telegram_token and not discord_token:
        announce = (
            f"No {TELEGRAM_TOKEN_ENV} or {DISCORD_TOKEN_ENV} set: starting the console "
            f"adapter on {_shown(settings.storage.url)}."
        )
        await _console(settings, as_name, admins, serve_http=True, announce=announce)
        return 0
    from adapters.runner import Role, run_platforms

    return await run_platforms(
        settings,
        telegram_token=telegram_token,
        discord_token=discord_token,
        only=Role(only) if only else None,
    )


async def _export_bytes(settings: Settings, args: argparse.Namespace) -> bytes | None:
    from datetime import timedelta

    from bot.app import BotApp
    from bot.core.i18n import Translator
    from bot.features.admin import exports
    from bot.features.digest import service as digest

    app = await BotApp.start(settings)
    try:
        async with app.database.unit_of_work() as uow:
            slug = args.community or settings.community.slug
            community = await uow.communities.by_slug(slug)
            if community is None:
                return None
            translator = Translator(args.lang or community.default_language)
            fmt = exports.ExportFormat(args.format)
            now = app.clock.now()
            if args.what == "digest":
                if fmt is exports.ExportFormat.CSV:
                    raise SystemExit("A digest is a document: export it as json, markdown or html.")
                built = await digest.build(uow, community, now - timedelta(days=7), now, translator)
                data = digest.as_file(built, fmt, translator).encode()
            else:
                kind = exports.ExportKind(args.what)
                _name, data = await exports.export(uow, community, kind, fmt, translator, now)
    finally:
        await app.close()
    return data


def _export(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    data = asyncio.run(_export_bytes(settings, args))
    if data is None:
        print(f"No community {args.community!r} in the configuration.", file=sys.stderr)
        return EXIT_CONFIG
    if args.output:
        written = Path(args.output).resolve()
        written.write_bytes(data)
        print(f"Wrote {len(data)} bytes to {written}", file=sys.stderr)
    else:
        sys.stdout.write(data.decode())
    return 0


def _storage_problem(settings: Settings, error: StorageUnavailable) -> str:
    """One line: which database, what is wrong, what to check."""
    hint = f" ({error.hint})" if error.hint else ""
    return f"Cannot use the database {_shown(settings.storage.url)}: {error.reason}{hint}"


def _shown(url: str) -> str:
    """A database URL fit for a terminal or a log: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _start_logging(settings: Settings | None, verbose: bool, *, sentry: bool = False) -> None:
    """Logs as ``[logging]`` says (the defaults before the config is read), secrets hidden;
    Sentry too when asked and ``SENTRY_DSN`` is set."""
    from bot.config import LoggingConfig
    from bot.ops.logs import configure_logging, process_secrets

    secrets = process_secrets(settings)
    config = settings.logging if settings is not None else LoggingConfig()
    configure_logging(config, verbose=verbose, secrets=secrets)
    if sentry:
        from bot.ops.sentry import init_sentry

        init_sentry(secrets)


def _db(settings: Settings, args: argparse.Namespace) -> int:
    if args.db_command == "copy":
        from storage.copy import CopyRefused, copy_database_sync

        try:
            counts = copy_database_sync(settings.storage.url, args.to)
        except CopyRefused as refused:
            print(refused, file=sys.stderr)
            return 1
        total = sum(counts.values())
        print(
            f"Copied {total} rows in {len(counts)} tables from {_shown(settings.storage.url)} "
            f"to {_shown(args.to)}."
        )
        return 0
    from storage.database import upgrade_sync

    upgrade_sync(settings.storage.url)
    print(f"Database is up to date: {_shown(settings.storage.url)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    import asyncio

    from bot.config import ConfigError, load_settings
    from storage.errors import StorageUnavailable

    _start_logging(None, args.verbose)
    if args.command == "doctor":
        from bot.ops.doctor import run_doctor

        return run_doctor(args.config, database_url=args.db)
    try:
        settings = load_settings(args.config, database_url=args.db)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    _start_logging(settings, args.verbose, sentry=args.command == "run")
    try:
        if args.command == "db":
            return _db(settings, args)
        if args.command == "export":
            return _export(settings, args)
        if args.command == "hub":
            from bot.features.hub.cli import run_hub

            return run_hub(args, settings)
        if args.command == "console":
            asyncio.run(_console(settings, args.as_name, args.admin))
            return 0
        if args.command == "run":
            return asyncio.run(_run(settings, args.as_name, args.admin, args.only))
    except StorageUnavailable as error:  # unreachable, missing, refused, unwritable
        print(_storage_problem(settings, error), file=sys.stderr)
        return EXIT_CONFIG
    except ConfigError as error:  # a data file read at start (an assessment framework)
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. `| head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    parser.error(f"unknown command {args.command}")
    return EXIT_CONFIG
