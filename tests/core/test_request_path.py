"""The fixed work of a request stays small and does not grow with the data.

Every request first finds who asks and where (the member, the community, their role); this
is paid on every message, so it is counted: one statement for a member the bot knows (the
member with their accounts, the community and their membership), in a private chat or in a
linked group. The update's idempotency record is part of that one statement on PostgreSQL
(an insert in its ``WITH`` clause); on SQLite it is one more, written last.
"""

from __future__ import annotations

import asyncio
from typing import TypedDict, Unpack

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Place, PlaceKind, Platform
from tests.conftest import make_settings
from tests.helpers import counted, say, texts

CC_GROUP = Place(Platform.CONSOLE, "cc-room", PlaceKind.GROUP)
CC = CommunityConfig(
    slug="cc",
    name="Connective Cities",
    timezone="Africa/Tunis",
    default_language="en",
    chats=(ChatLink(platform="console", chat_id="cc-room"),),
)


class Where(TypedDict, total=False):
    """Where and how a /help is said, passed through to ``say``."""

    place: Place | None
    update_id: str | None


async def _help_statements(app: BotApp, **where: Unpack[Where]) -> int:
    await app.warmed()  # background work is not the request's
    with counted(app) as statements:
        replies = await say(app, "amina", "/help", **where)
    assert "What I can do for you" in texts(replies)
    return len(statements)


async def test_a_known_member_costs_one_statement_wherever_she_writes(
    db_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(db_url, communities=(CC,)), clock=clock)
    await say(app, "amina", "/start")
    await say(app, "amina", "/start", place=CC_GROUP)  # a member of two communities
    await say(app, "amina", "/community use cc")
    assert await _help_statements(app) == 1
    assert await _help_statements(app, place=CC_GROUP) == 1
    if app.database.dialect == "postgresql":
        # the idempotency record in the lookup's own statement; a redelivery finds it there
        # and runs no handler
        assert await _help_statements(app, update_id="u-1") == 1
        with counted(app) as statements:
            assert await say(app, "amina", "/help", update_id="u-1") == []  # a redelivery
        assert len(statements) == 1 and "processed_updates" in statements[0]
    else:
        assert await _help_statements(app, update_id="u-1") == 2  # + the idempotency record
        with counted(app) as statements:
            assert await say(app, "amina", "/help", update_id="u-1") == []  # a redelivery
        # recorded last (a write takes SQLite's one lock): a redelivery runs again, then
        # finds the record and commits nothing
        assert len(statements) == 2 and "processed_updates" in statements[-1]
    await app.close()


async def test_twin_deliveries_at_the_same_moment_have_one_effect(
    db_url: str, clock: ManualClock
) -> None:
    """Two deliveries of one update handled at once (two workers, or a redelivery while the
    first is still running): one answer, one change, whichever dialect records it when."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "amina", "/start")
    first, second = await asyncio.gather(
        say(app, "amina", "/profile set organisation Twin Town", update_id="u-twin"),
        say(app, "amina", "/profile set organisation Twin Town", update_id="u-twin"),
    )
    assert sorted([bool(first), bool(second)]) == [False, True]
    # a first contact's twin too: one member, one answer
    first, second = await asyncio.gather(
        say(app, "grace", "/help", update_id="u-new"),
        say(app, "grace", "/help", update_id="u-new"),
    )
    assert sorted([bool(first), bool(second)]) == [False, True]
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", "amina")
        assert member is not None and member.organisation == "Twin Town"
        assert await uow.members.by_account("console", "grace") is not None
    await app.close()


async def test_the_fixed_cost_does_not_grow_with_members_and_communities(
    db_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(db_url, communities=(CC,)), clock=clock)
    await say(app, "amina", "/start")
    before = await _help_statements(app)
    for n in range(30):
        await say(app, f"m{n}", "/start", place=CC_GROUP if n % 2 else None)
    assert await _help_statements(app) == before
    assert await _help_statements(app, place=CC_GROUP) <= before + 1  # joins CC: one insert
    assert await _help_statements(app, place=CC_GROUP) == before
    await app.close()
