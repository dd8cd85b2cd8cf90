"""Storage speaks its own errors: a duplicate key is a DuplicateKeyError, on SQLite and PostgreSQL.

The router catches these (it may not import SQLAlchemy); SQLAlchemy's error stays the cause.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.errors import ConstraintViolation, DuplicateKeyError
from storage.models import Account

NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.upgrade()
    yield db
    await db.dispose()


async def test_recording_an_update_twice_is_a_duplicate_key(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.updates.record("telegram", "41", NOW)
    async with database.unit_of_work() as uow:
        with pytest.raises(DuplicateKeyError) as twin:  # raised inside the block, at the flush
            await uow.updates.record("telegram", "41", NOW)
        assert isinstance(twin.value.__cause__, IntegrityError)
        await uow.session.rollback()


async def test_a_duplicate_found_at_commit_is_a_duplicate_key(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.members.create(
            display_name="A", platform="discord", platform_user_id="9", username=None,
            language=None, now=NOW,
        )  # fmt: skip
    with pytest.raises(DuplicateKeyError):
        async with database.unit_of_work() as uow:  # no flush: the commit writes the row
            uow.session.add(
                Account(member_id=1, platform="discord", platform_user_id="9", created_at=NOW)
            )


async def test_another_broken_constraint_is_not_called_a_duplicate(database: Database) -> None:
    with pytest.raises(ConstraintViolation) as broken:
        async with database.unit_of_work() as uow:  # member 999 does not exist
            uow.session.add(
                Account(member_id=999, platform="discord", platform_user_id="5", created_at=NOW)
            )
            await uow.flush()
    assert not isinstance(broken.value, DuplicateKeyError)
    assert isinstance(broken.value.__cause__, IntegrityError)
