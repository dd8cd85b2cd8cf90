"""A change number that commits after a higher one was read still reaches the hub's search.

On PostgreSQL ``hub_changes.id`` comes from a sequence when the row is written, not when its
transaction commits. Two real transactions here: the first edits a resource and stays open
(its change number is taken), the second edits another and commits (a higher number), a
search reads that higher number; then the first commits. Its edit must be in the next search.
The vote weights, cached under a fingerprint of the votes, must likewise follow a vote written
with a time below the newest one.
"""

from __future__ import annotations

import asyncio

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub.service import HubService
from storage.models import Resource
from tests.helpers import say, texts

ADMIN = "sofia"


async def _edit_and_hold(app: BotApp, numbered: asyncio.Event, commit: asyncio.Event) -> int:
    """Retitle resource 5 in a transaction that stays open until ``commit`` is set."""
    async with app.database.unit_of_work() as uow:
        resource = await uow.session.get(Resource, 5)
        assert resource is not None
        resource.title = "Kilimanjaro councillors handbook"
        resource.updated_at = app.clock.now()
        await uow.session.flush()  # the change row is written: its number is taken
        number = await uow.resources.version()
        numbered.set()
        await commit.wait()
    return number


async def test_an_edit_committed_after_a_later_one_reaches_the_next_search(
    pg_app: BotApp,
) -> None:
    app, hub = pg_app, pg_app.services[HubService]
    assert "Resources 1–" in texts(await say(app, "lucia", "/resources quotas"))
    builds = hub.builds
    numbered, commit = asyncio.Event(), asyncio.Event()
    held = asyncio.create_task(_edit_and_hold(app, numbered, commit))
    await asyncio.wait_for(numbered.wait(), timeout=30)
    # A second transaction takes the next number and commits first.
    await say(app, ADMIN, '/resource edit 6 title:"Zanzibar councillors handbook"')
    assert "Zanzibar councillors handbook" in texts(await say(app, "lucia", "/resources zanzibar"))
    assert "Kilimanjaro" not in texts(await say(app, "lucia", "/resources kilimanjaro"))
    late = hub.version  # past the open transaction's number
    commit.set()
    number = await held
    assert number < late
    assert "Kilimanjaro councillors handbook" in texts(
        await say(app, "lucia", "/resources kilimanjaro")
    )
    assert hub.builds == builds  # applied in place, not by a rebuild
    # Once applied, the skipped number is no longer looked for: the next search reads nothing.
    assert hub.version == late
    assert "Kilimanjaro councillors handbook" in texts(
        await say(app, "lucia", "/resources kilimanjaro handbook")
    )


async def test_a_vote_changed_with_an_earlier_time_still_moves_the_weights(app: BotApp) -> None:
    """The vote weights are cached until the votes' fingerprint changes. A vote written with
    a time below the newest (a transaction that read its clock before another's committed, or
    another process's clock a little behind) must still count."""
    from datetime import timedelta

    from bot.core.messages import Request, RequestKind
    from bot.features.hub.service import vote_weight
    from tests.helpers import actor, private

    async def press(name: str, action: str) -> None:
        await app.handle(Request(actor(name), private(name), RequestKind.BUTTON, text=action))

    async def weight_of(resource_id: int) -> float:
        hub = app.services[HubService]
        async with app.database.unit_of_work() as uow:
            index = await hub.index(uow)
            weights = await hub.weights(uow, index)
            assert weights is not None
            return float(weights[index.by_id[resource_id]])

    clock = app.clock
    assert isinstance(clock, ManualClock)
    start = clock.now()
    await press("lucia", "resource vote 3 up")
    clock.set(start + timedelta(minutes=10))
    await press("amina", "resource vote 5 down")
    assert await weight_of(3) == vote_weight(1, 0)
    clock.set(start + timedelta(minutes=5))  # earlier than the newest vote
    await press("lucia", "resource vote 3 down")
    assert await weight_of(3) == vote_weight(0, 1)
