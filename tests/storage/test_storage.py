"""Storage on the real databases: SQLite file and, when configured, PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.errors import DuplicateKeyError
from storage.models import Account
from storage.statuses import ChatPurpose, MembershipRole


@pytest.fixture
async def database(fresh_db_url: str) -> AsyncIterator[Database]:
    db = Database(fresh_db_url)
    await db.upgrade()
    yield db
    await db.dispose()


NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


async def test_migrations_create_every_table_and_are_repeatable(database: Database) -> None:
    await database.upgrade()  # a second run applies nothing and fails nothing
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"communities", "members", "accounts", "memberships", "outbox", "audit_log"} <= tables


async def test_member_with_account_round_trip_keeps_utc(database: Database) -> None:
    madrid = timezone(timedelta(hours=1))
    async with database.unit_of_work() as uow:
        member = await uow.members.create(
            display_name="Sofía",
            platform="discord",
            platform_user_id="42",
            username="sofia",
            language="es",
            now=NOW.astimezone(madrid),
        )
        member_id = member.id
    async with database.unit_of_work() as uow:
        found = await uow.members.by_account("discord", "42")
        assert found is not None and found.id == member_id
        assert found.created_at == NOW and found.created_at.tzinfo is not None
        assert [a.platform for a in found.accounts] == ["discord"]


async def test_one_platform_identity_belongs_to_one_member(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.members.create(
            display_name="A", platform="telegram", platform_user_id="7", username=None,
            language=None, now=NOW,
        )  # fmt: skip
    with pytest.raises(DuplicateKeyError) as refused:  # storage's own error for a duplicate key
        async with database.unit_of_work() as uow:
            uow.session.add(
                Account(member_id=1, platform="telegram", platform_user_id="7", created_at=NOW)
            )
            await uow.flush()
    assert isinstance(refused.value.__cause__, IntegrityError)


async def test_failed_transaction_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.unit_of_work() as uow:
            await uow.members.create(
                display_name="Ghost", platform="console", platform_user_id="g", username=None,
                language=None, now=NOW,
            )  # fmt: skip
            raise RuntimeError("abort")
    async with database.unit_of_work() as uow:
        assert await uow.members.all() == []


async def test_communities_roles_and_linked_chats(database: Database) -> None:
    async with database.unit_of_work() as uow:
        cib = await uow.communities.ensure(
            slug="cib", name="CIB", timezone="Europe/Madrid", default_language="en", now=NOW
        )
        await uow.communities.ensure(
            slug="cc", name="CC", timezone="Asia/Amman", default_language="ar", now=NOW
        )
        await uow.communities.link_chat(
            cib, platform="telegram", chat_id="-100", purpose=ChatPurpose.ADVICE
        )
        member = await uow.members.create(
            display_name="Amina", platform="telegram", platform_user_id="1", username=None,
            language=None, now=NOW,
        )  # fmt: skip
        await uow.communities.set_role(cib, member, "champion", NOW)
    async with database.unit_of_work() as uow:
        found = await uow.communities.for_chat("telegram", "-100")
        assert found is not None and found.slug == "cib"
        champions = await uow.communities.members_with_role(found, MembershipRole.CHAMPION)
        assert [m.display_name for m in champions] == ["Amina"]
        assert await uow.communities.for_chat("telegram", "-200") is None


async def test_conversation_state_survives_a_new_session(database: Database) -> None:
    async with database.unit_of_work() as uow:
        member = await uow.members.create(
            display_name="Lucía", platform="telegram", platform_user_id="2", username=None,
            language="es", now=NOW,
        )  # fmt: skip
        await uow.conversations.start(
            member.id, "telegram", "private", flow="onboarding", step="role",
            data={"a": 1}, now=NOW,
        )  # fmt: skip
        member_id = member.id
    async with database.unit_of_work() as uow:
        conversation = await uow.conversations.get(member_id, "telegram", "private")
        assert conversation is not None and conversation.step == "role"
        assert conversation.data == {"a": 1}
        await uow.conversations.end(member_id, "telegram", "private")
    async with database.unit_of_work() as uow:
        assert await uow.conversations.get(member_id, "telegram", "private") is None


async def test_deleting_a_member_removes_accounts_and_conversations(database: Database) -> None:
    async with database.unit_of_work() as uow:
        member = await uow.members.create(
            display_name="Moana", platform="discord", platform_user_id="9", username="m",
            language=None, now=NOW,
        )  # fmt: skip
        await uow.conversations.start(
            member.id, "discord", "private", flow="x", step="y", data={}, now=NOW
        )
    async with database.unit_of_work() as uow:
        found = await uow.members.by_account("discord", "9")
        assert found is not None
        await uow.members.delete(found)
    async with database.unit_of_work() as uow:
        assert await uow.members.by_account("discord", "9") is None
        assert await uow.conversations.get(found.id, "discord", "private") is None


async def test_the_migrations_match_the_models(database: Database) -> None:
    """Autogenerate finds nothing to add: no model change ships without its migration."""
    from alembic import command

    from storage.database import alembic_config

    def check(connection: object) -> None:
        config = alembic_config(database.url)
        config.attributes["connection"] = connection
        command.check(config)

    async with database.engine.begin() as connection:
        await connection.run_sync(check)
