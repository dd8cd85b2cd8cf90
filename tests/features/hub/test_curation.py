"""Curation help through the router: votes (one per member, changeable), flags (one open per
member, changeable), the admins' queue, fix and retire (audited, per community), and how
votes weigh the ranking (lightly)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Reply, Request, RequestKind
from bot.features.hub.service import HubService, vote_weight
from storage.models import AuditEntry
from storage.models_calls import ResourceFlag, ResourceVote
from storage.statuses import FlagStatus
from tests.conftest import make_settings
from tests.helpers import actor, private, say, texts

ADMIN = "sofia"


async def press(app: BotApp, name: str, action: str) -> list[Reply]:
    request = Request(actor(name), private(name), RequestKind.BUTTON, text=action)
    return await app.handle(request)


async def votes(app: BotApp) -> list[tuple[int, str, bool]]:
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(ResourceVote))).all()
        out = []
        for row in rows:
            member = await uow.members.get(row.member_id)
            assert member is not None
            out.append((row.resource_id, member.display_name, row.helpful))
        return sorted(out)


async def test_every_result_has_a_vote_and_flag_row(app: BotApp) -> None:
    replies = await say(app, "lucia", "/resources gender budgeting")
    rows = replies[0].buttons
    assert len(rows) == 6  # five results, then "More results"
    first = rows[0]
    number = first[0].action.split()[2]
    assert [b.action for b in first] == [
        f"resource vote {number} up",
        f"resource vote {number} down",
        f"resource flag {number}",
    ]
    assert all(f"#{number}" in b.label for b in first)


async def test_one_vote_per_member_and_resource_and_it_can_change(app: BotApp) -> None:
    assert "found #3 helpful" in texts(await press(app, "lucia", "resource vote 3 up"))
    assert "already said" in texts(await press(app, "lucia", "resource vote 3 up"))
    assert "not helpful" in texts(await press(app, "lucia", "resource vote 3 down"))
    await press(app, "amina", "resource vote 3 up")
    assert await votes(app) == [(3, "Amina", True), (3, "Lucia", False)]
    missing = texts(await press(app, "lucia", "resource vote 9999 up"))
    assert "There is no resource #9999." in missing
    assert len(await votes(app)) == 2


async def test_a_flag_asks_why_then_one_open_flag_per_member(app: BotApp) -> None:
    asked = await press(app, "lucia", "resource flag 4")
    assert "What is wrong with #4" in texts(asked)
    assert [b.action for b in asked[0].buttons[0]] == [
        "resource flag 4 broken",
        "resource flag 4 outdated",
    ]
    assert "curators will look at #4" in texts(await press(app, "lucia", "resource flag 4 broken"))
    await press(app, "lucia", "resource flag 4 outdated")  # changes her flag, adds none
    await press(app, "amina", "resource flag 4 broken")
    async with app.database.unit_of_work() as uow:
        flags = (await uow.session.scalars(select(ResourceFlag))).all()
    assert sorted(f.reason.value for f in flags) == ["broken", "outdated"]

    queue = texts(await say(app, ADMIN, "/resource flags"))
    assert "Flagged resources (1 resource)" in queue and "#4" in queue
    assert "broken link" in queue and "outdated" in queue
    # A member cannot see the queue: the core refuses.
    assert "Flagged resources" not in texts(await say(app, "lucia", "/resource flags"))


@pytest.fixture
async def any_app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """The bot on SQLite, and on PostgreSQL when it is configured."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    yield app
    await app.close()


async def test_fix_and_retire_resolve_flags_are_audited_and_retired_leave_search(
    any_app: BotApp,
) -> None:
    app = any_app
    await press(app, "amina", "resource vote 6 up")  # weights must follow the rebuilt index
    await press(app, "lucia", "resource flag 4 broken")
    await press(app, "lucia", "resource flag 5 outdated")
    fixed = texts(await say(app, ADMIN, "/resource fix 4 https://example.org/new-home"))
    assert "Fixed resource #4" in fixed and "https://example.org/new-home" in fixed
    bad = texts(await say(app, ADMIN, "/resource fix 5 not-a-link"))
    assert "not valid" in bad
    async with app.database.unit_of_work() as uow:
        resource = await uow.resources.get(5)
        assert resource is not None
        title = resource.title
    before = texts(await say(app, "lucia", f"/resources {title}"))
    assert title in before
    assert "Retired resource #5" in texts(await say(app, ADMIN, "/resource retire 5"))
    assert "already retired" in texts(await say(app, ADMIN, "/resource retire 5"))
    after = texts(await say(app, "lucia", f"/resources {title}"))
    assert re.search(r"#5\b", before) and not re.search(r"#5\b", after)
    assert "There is no resource #5." in texts(await say(app, "lucia", "/resources #5"))
    assert "No open flag" in texts(await say(app, ADMIN, "/resource flags"))
    async with app.database.unit_of_work() as uow:
        flags = (await uow.session.scalars(select(ResourceFlag))).all()
        actions = (await uow.session.scalars(select(AuditEntry.action))).all()
    assert {f.status for f in flags} == {FlagStatus.RESOLVED}
    assert "resource.fix" in actions and "resource.retire" in actions
    # Fixing a retired resource brings it back.
    await say(app, ADMIN, "/resource fix 5 https://example.org/back")
    assert title in texts(await say(app, "lucia", f"/resources {title}"))


def test_a_vote_weighs_lightly_and_many_votes_at_most_fifteen_percent() -> None:
    assert vote_weight(0, 0) == 1.0
    assert 1.02 < vote_weight(1, 0) < 1.03
    assert 0.97 < vote_weight(0, 1) < 0.98
    assert vote_weight(1000, 0) < 1.15 and vote_weight(0, 1000) > 0.85
    assert vote_weight(10, 10) == 1.0


async def test_votes_reorder_near_ties_but_not_clear_winners(any_app: BotApp) -> None:
    app = any_app
    service = app.services[HubService]
    query = "gender budgeting"
    async with app.database.unit_of_work() as uow:
        hits = (await service.search(uow, query, limit=20)).hits
    near = next(i for i in range(len(hits) - 1) if hits[i + 1].score > 0.9 * hits[i].score > 0)
    far = next(i for i in range(len(hits) - 1) if hits[i + 1].score < 0.8 * hits[i].score)
    lower, upper = hits[near + 1].doc.id, hits[near].doc.id
    loser = hits[far + 1].doc.id
    for n in range(30):
        await press(app, f"voter{n}", f"resource vote {lower} up")
        await press(app, f"voter{n}", f"resource vote {upper} down")
        await press(app, f"voter{n}", f"resource vote {loser} up")
    async with app.database.unit_of_work() as uow:
        ranked = [h.doc.id for h in (await service.search(uow, query, limit=20)).hits]
    assert ranked.index(lower) < ranked.index(upper)  # a near tie: the votes decide
    assert ranked.index(loser) > ranked.index(hits[far].doc.id)  # relevance still first
