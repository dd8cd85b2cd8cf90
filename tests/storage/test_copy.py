"""`champions-bot db copy`: a realistic SQLite database moves whole into an empty database
(the real local PostgreSQL when TEST_DATABASE_URL is set, else another SQLite file)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.app import BotApp
from bot.cli import main
from bot.core.clock import ManualClock
from storage.copy import CopyRefused, copy_database
from storage.database import Database
from storage.models import Base, Member, OutboxMessage
from tests.admin_walk import seed, snapshot
from tests.conftest import PG_ENV, _pg_admin, make_settings
from tests.helpers import say, texts


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database nobody has touched: not even created tables."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'target.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    name = f"champions_copy_{uuid.uuid4().hex[:10]}"
    await _pg_admin(base, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _realistic(url: str, clock: ManualClock) -> dict[str, list[tuple[object, ...]]]:
    """Members, a champion, a story, a webinar with reminders, a question, an announcement
    with its outbox rows, the demo hub catalogue, the audit log: made through the bot."""
    app = await BotApp.start(make_settings(url), clock=clock)
    try:
        await seed(app)
        await say(app, "moana", "/rsvp 1")
        await say(app, "grace", "/language fr")
        return await snapshot(app, every_table=True)
    finally:
        await app.close()


async def test_copy_moves_every_row_and_the_target_keeps_working(
    tmp_path: Path, clock: ManualClock, empty_target: str
) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'source.db'}"
    before = await _realistic(source, clock)
    counts = await copy_database(source, empty_target, batch_size=7)  # several batches

    assert counts == {name: len(rows) for name, rows in before.items()}
    assert counts["resources"] > 7 and counts["members"] >= 3 and counts["outbox"] > 0
    target = Database(empty_target)
    try:
        async with target.engine.connect() as connection:
            moana = (
                await connection.execute(select(Member).where(Member.display_name == "Moana"))
            ).one()
            rows = (await connection.execute(select(OutboxMessage.payload))).all()
        assert moana.country == "CK"
        assert all(isinstance(row.payload, dict) for row in rows)
    finally:
        await target.dispose()

    app = await BotApp.start(make_settings(empty_target), clock=clock)
    try:
        assert (
            await snapshot(app, every_table=True) == before
        )  # every row of every table, as it was
        # new rows get fresh ids after the copied ones (PostgreSQL sequences moved on)
        assert "Welcome" in texts(await say(app, "newcomer", "/start"))
        await say(app, "newcomer", "/ask Where is the budgeting toolkit? #gbv")
        async with app.database.unit_of_work() as uow:
            newcomer = await uow.members.by_account("console", "newcomer")
            assert newcomer is not None and newcomer.id > max(
                cast(int, r[0]) for r in before["members"]
            )
    finally:
        await app.close()


async def test_copy_refuses_a_target_that_has_rows(tmp_path: Path, clock: ManualClock) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'source.db'}"
    target = f"sqlite+aiosqlite:///{tmp_path / 'target.db'}"
    await _realistic(source, clock)
    app = await BotApp.start(make_settings(target), clock=clock)  # creates the community
    await app.close()
    with pytest.raises(CopyRefused, match="not empty"):
        await copy_database(source, target)


def test_the_command_line_copies_and_says_how_much(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    source = f"sqlite+aiosqlite:///{tmp_path / 'source.db'}"
    before = asyncio.run(_realistic(source, clock))
    target = f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}"
    assert main(["db", "copy", "--db", source, "--to", target]) == 0
    total = sum(len(rows) for rows in before.values())
    tables = len(Base.metadata.sorted_tables)
    assert f"Copied {total} rows in {tables} tables" in capsys.readouterr().out
    assert main(["db", "copy", "--db", source, "--to", target]) == 1
    assert "not empty" in capsys.readouterr().err
