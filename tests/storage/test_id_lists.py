"""``in_ids``: an id list of any length is one bound value (issue 17: no 30k-parameter IN)."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from storage.id_lists import in_ids
from storage.models import Member
from tests.conftest import make_settings
from tests.core.test_request_path import counted
from tests.helpers import say


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
