"""Status columns hold StrEnum members: the same words in the database, members in Python."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum

import pytest
from sqlalchemy import Enum, String, text
from sqlalchemy.exc import StatementError

from bot.config import ChatLink
from storage.database import Database
from storage.models import Base, Membership, OutboxMessage, Question
from storage.statuses import ChatPurpose, MembershipRole, OutboxStatus, QuestionStatus

NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.upgrade()
    yield db
    await db.dispose()


async def _community_and_member(database: Database) -> tuple[int, int]:
    async with database.unit_of_work() as uow:
        community = await uow.communities.ensure(
            slug="cib", name="CIB", timezone="UTC", default_language="en", now=NOW
        )
        member = await uow.members.create(
            display_name="Amina", platform="telegram", platform_user_id="1", username=None,
            language=None, now=NOW,
        )  # fmt: skip
        return community.id, member.id


async def test_rows_written_as_plain_words_read_back_as_members(database: Database) -> None:
    """Rows written before the enums existed (plain strings) need no migration."""
    community_id, member_id = await _community_and_member(database)
    async with database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO questions (community_id, anonymous, title, body, themes, status,"
                " asked_platform, created_at) VALUES (:c, false, 'Quotas?', '', '[]', 'solved',"
                " 'telegram', :now)"
            ),
            {"c": community_id, "now": NOW.replace(tzinfo=None)},
        )
        await connection.execute(
            text(
                "INSERT INTO memberships (community_id, member_id, role, joined_at)"
                " VALUES (:c, :m, 'champion', :now)"
            ),
            {"c": community_id, "m": member_id, "now": NOW.replace(tzinfo=None)},
        )
    async with database.unit_of_work() as uow:
        question = (await uow.advice.questions(community_id))[0]
        assert question.status is QuestionStatus.SOLVED
        membership = await uow.session.get(Membership, (community_id, member_id))
        assert membership is not None and membership.role is MembershipRole.CHAMPION
        found = await uow.advice.questions(community_id, status=QuestionStatus.SOLVED)
        assert [q.id for q in found] == [question.id]


async def test_members_are_stored_as_their_values(database: Database) -> None:
    community_id, _member_id = await _community_and_member(database)
    async with database.unit_of_work() as uow:
        uow.session.add(
            Question(
                community_id=community_id, title="Quotas?", status=QuestionStatus.CLOSED,
                asked_platform="discord", created_at=NOW,
            )
        )  # fmt: skip
    async with database.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT status FROM questions"))).scalar_one()
    assert (type(stored), stored) == (str, "closed")  # the value, never the name "CLOSED"


async def test_an_unknown_word_is_refused_instead_of_stored(database: Database) -> None:
    community_id, _member_id = await _community_and_member(database)
    with pytest.raises(StatementError, match="closd"):
        async with database.unit_of_work() as uow:
            uow.session.add(
                Question(
                    community_id=community_id, title="Quotas?", status="closd",
                    asked_platform="discord", created_at=NOW,
                )
            )  # fmt: skip
            await uow.flush()


async def test_counts_per_status_are_keyed_by_members(database: Database) -> None:
    from storage.repositories.outbox import NewMessage

    async with database.unit_of_work() as uow:
        await uow.outbox.enqueue(NewMessage("k1", "test", "console", "room", {}, NOW), now=NOW)
    async with database.unit_of_work() as uow:
        counts = await uow.outbox.counts()
        assert counts == {"pending": 1}
        assert [type(status) for status in counts] == [OutboxStatus]
        row = await uow.outbox.get("k1")
        assert row is not None and row.status is OutboxStatus.PENDING


def test_every_status_column_is_a_stored_enum_whose_words_fit() -> None:
    columns = {
        f"{table.name}.{column.name}": column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Enum)
    }
    assert set(columns) == {
        "memberships.role",
        "community_chats.purpose",
        "outbox.status",
        "stories.status",
        "questions.status",
        "advice_notices.reason",
        "events.status",
        "announcements.audience",
        "meet_settings.cadence",
        "meet_participants.status",
        "meet_pairings.outcome",
        "mentorships.status",
        "contributions.kind",
        "contributions.status",
        "mentor_checkins.answer",
        "contributor_calls.kind",
        "contributor_calls.status",
        "call_volunteers.status",
        "resource_flags.reason",
        "resource_flags.status",
        "assessments.status",
    }
    for name, column in columns.items():
        assert isinstance(column.type, Enum), name
        vocabulary = column.type.enum_class
        assert vocabulary is not None and issubclass(vocabulary, StrEnum), name
        assert not column.type.native_enum and isinstance(column.type, String), name
        assert column.type.length is not None
        assert max(len(member.value) for member in vocabulary) <= column.type.length, name
    status_type = OutboxMessage.__table__.c.status.type
    assert isinstance(status_type, Enum) and status_type.enums == [s.value for s in OutboxStatus]


def test_the_config_offers_exactly_the_stored_chat_purposes() -> None:
    allowed = typing.get_args(ChatLink.model_fields["purpose"].annotation)
    assert sorted(allowed) == sorted(ChatPurpose)
