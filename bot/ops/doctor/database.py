"""The database: can the bot reach it, and does it lack migrations?"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from bot.ops.doctor.findings import Finding, ok, problem
from storage.database import Database
from storage.errors import StorageUnavailable
from storage.revisions import UnknownRevisionError, pending_migrations

TIMEOUT = 5.0


async def check_database(url: str) -> list[Finding]:
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        database = Database(url)
    except StorageUnavailable as error:  # an SQLite folder that cannot be made
        return [problem("database", f"cannot use {shown}: {error.reason}", error.hint or "")]
    try:
        try:
            await database.ping(TIMEOUT)
        except TimeoutError:
            return [
                problem(
                    "database",
                    f"{shown} did not answer within {TIMEOUT:g} s",
                    "check that the server runs and that this machine may reach it",
                )
            ]
        except StorageUnavailable as error:  # the driver's words and what to check
            return [
                problem(
                    "database",
                    f"cannot connect to {shown}: {error.reason}",
                    error.hint or "check [storage] url and that the server runs",
                )
            ]
        except Exception as error:
            return [
                problem(
                    "database",
                    f"cannot connect to {shown} ({type(error).__name__})",
                    "check [storage] url or CHAMPIONS_BOT_DATABASE_URL (host, port, user, "
                    "password, database name) and that the server runs",
                )
            ]
        try:
            pending = await pending_migrations(database)
        except UnknownRevisionError as unknown:
            return [
                problem(
                    "database",
                    f"{shown} was migrated by a newer version of the bot (revision {unknown})",
                    "run the version that migrated it, or restore a backup",
                )
            ]
    finally:
        await database.dispose()
    if pending:
        return [
            problem(
                "database",
                f"{shown} lacks {len(pending)} migration(s) ({', '.join(pending)})",
                "run `champions-bot db upgrade` (the bot also applies them when it starts)",
            )
        ]
    return [ok("database", f"{shown} answers and is up to date")]
