"""Storage says "unavailable" in its own words, for what means the database cannot be used, and
only for that; an emptied database is migrated again by the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from bot.app import BotApp
from storage.availability import SCHEMA_HINT, unavailable
from storage.database import Database
from storage.errors import StorageUnavailable
from tests.conftest import make_settings, reset_postgres


class DriverError(Exception):
    """A driver's error, with the SQLSTATE asyncpg gives PostgreSQL's errors."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def postgresql(message: str, sqlstate: str) -> sa_exc.DBAPIError:
    return sa_exc.DBAPIError("SELECT 1", {}, DriverError(message, sqlstate))


def delete_sqlite_files(folder: Path) -> None:
    for path in folder.glob("bot.db*"):
        path.unlink()


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        (OSError(111, "Connect call failed"), "host and port"),
        (sa_exc.DBAPIError("x", {}, DriverError("connection lost", "08006")), "host and port"),
        (
            sa_exc.DBAPIError("x", {}, DriverError('database "c" does not exist', "3D000")),
            "createdb",
        ),
        (sa_exc.DBAPIError("x", {}, DriverError("password failed", "28P01")), "password"),
        (sa_exc.DBAPIError("x", {}, DriverError("shutting down", "57P01")), "shutting down"),
        (
            sa_exc.DBAPIError("x", {}, DriverError('relation "m" does not exist', "42P01")),
            "upgrade",
        ),
        (sa_exc.OperationalError("x", {}, DriverError("database is locked")), "another process"),
        (sa_exc.OperationalError("x", {}, DriverError("unable to open database file")), "folder"),
        (sa_exc.OperationalError("x", {}, DriverError("no such table: members")), "upgrade"),
    ],
)
def test_what_means_the_database_cannot_be_used(error: BaseException, hint: str) -> None:
    found = unavailable(error)
    assert isinstance(found, StorageUnavailable)
    assert hint in (found.hint or "")
    assert "\n" not in found.reason and "[SQL" not in found.reason


@pytest.mark.parametrize(
    "error",
    [
        sa_exc.IntegrityError("x", {}, DriverError("duplicate key", "23505")),
        postgresql("syntax error at or near", "42601"),
        sa_exc.OperationalError("x", {}, DriverError("near 'SELEC': syntax error")),
        ValueError("a bug"),
    ],
)
def test_a_bug_or_a_broken_rule_is_no_outage(error: BaseException) -> None:
    assert unavailable(error) is None


async def test_an_unreachable_server_is_unavailable_not_a_driver_error() -> None:
    database = Database("postgresql+asyncpg://bot:pw@127.0.0.1:1/champions")
    try:
        with pytest.raises(StorageUnavailable) as caught:
            await database.check()
        assert "cannot connect" in caught.value.reason
        assert not database.availability.available
        with pytest.raises(StorageUnavailable):
            async with database.unit_of_work() as uow:
                await uow.members.by_account("telegram", "1")
    finally:
        await database.dispose()


async def test_an_emptied_database_is_unavailable_until_a_start_migrates_it(
    db_url: str, tmp_path: Path
) -> None:
    app = await BotApp.start(make_settings(db_url))
    try:
        await app.database.check()
        assert app.database.availability.available
        if app.database.is_postgresql:
            await reset_postgres(db_url)  # dropped and recreated empty
        else:  # the file deleted; the next connection creates an empty one
            delete_sqlite_files(tmp_path)
            await app.database.engine.dispose()
        with pytest.raises(StorageUnavailable) as caught:
            async with app.database.unit_of_work() as uow:
                await uow.members.by_account("telegram", "1")
        assert caught.value.hint == SCHEMA_HINT
        with pytest.raises(StorageUnavailable):
            await app.database.check()
        assert not app.database.availability.available
    finally:
        await app.close()
    again = await BotApp.start(make_settings(db_url))  # what the supervisor's restart does
    try:
        await again.database.check()
        async with again.database.unit_of_work() as uow:
            assert await uow.members.by_account("telegram", "1") is None
    finally:
        await again.close()


async def test_storage_is_back_only_once_a_transaction_has_committed(tmp_path: Path) -> None:
    """A commit that fails (here: a deferred foreign key, checked by SQLite at COMMIT, as a
    dropped database fails a commit) must not say "back" for the instant before it fails; a
    transaction that ran nothing says nothing; one that ran a statement and committed does."""
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    await database.upgrade()
    changes: list[bool] = []
    database.availability.listeners.append(lambda a: changes.append(a.available))
    try:
        database.availability.lost(StorageUnavailable("dropped"))
        with pytest.raises(sa_exc.IntegrityError):
            async with database.session() as session, session.begin():
                await session.execute(text("PRAGMA defer_foreign_keys = ON"))
                await session.execute(
                    text("INSERT INTO memberships (community_id, member_id, role, joined_at) "
                         "VALUES (999, 999, 'member', '2026-11-28 00:00:00')")
                )  # fmt: skip
        async with database.session() as session, session.begin():
            pass  # no statement
        assert changes == [False] and not database.availability.available
        async with database.session() as session, session.begin():
            await session.execute(text("SELECT count(*) FROM members"))
        assert changes == [False, True] and database.availability.available
    finally:
        await database.dispose()
