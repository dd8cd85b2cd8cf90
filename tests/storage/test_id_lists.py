"""``in_ids``: an id list of any length is one bound value (issue 17: no 30k-parameter IN)."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from storage.id_lists import in_ids
from storage.models import Member
from tests.conftest import make_settings
from tests.helpers import counted, say


async def test_forty_thousand_ids_are_one_parameter(db_url: str, clock: ManualClock) -> None:
    app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        await say(app, "amina", "/start")
        await say(app, "bilal", "/start")
        async with app.database.session() as session:
            ids = list(await session.scalars(select(Member.id).order_by(Member.id)))
            wanted = [ids[-1], *range(10**6, 10**6 + 40_000)]
            with counted(app) as statements:
                found = await session.scalars(
                    select(Member.id).where(in_ids(session, Member.id, wanted))
                )
                assert list(found) == [ids[-1]]
                none = await session.scalars(
                    select(Member.id).where(in_ids(session, Member.id, []))
                )
                assert list(none) == []
        ours = [s for s in statements if s.startswith("SELECT members.id")]  # not background work
        assert len(ours) == 2
        assert all(len(statement) < 500 for statement in ours)  # not one "?" per id
    finally:
        await app.close()


async def test_a_rounds_not_with_pairs_for_forty_thousand_participants(
    db_url: str, clock: ManualClock
) -> None:
    """``MeetRepository.exclusions`` binds the participants once per list, not once per id:
    a round of 40,000 passed the drivers' limit of 32,767 parameters (twice over)."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        for name in ("amina", "bilal", "chen"):
            await say(app, name, "/start")
        async with app.database.unit_of_work() as uow:
            a, b, c = list(await uow.session.scalars(select(Member.id).order_by(Member.id)))
            await uow.meet.exclude(a, b)
            await uow.meet.exclude(c, a)
        async with app.database.unit_of_work() as uow:
            many = [*range(10**6, 10**6 + 40_000)]
            assert sorted(await uow.meet.exclusions([b, *many])) == [(a, b)]
            assert sorted(await uow.meet.exclusions([a, *many])) == [(a, b), (c, a)]
            assert await uow.meet.exclusions(many) == []
    finally:
        await app.close()
