"""/mydata lists a champion's answers to calls, votes and flags; /forget deletes the answers
and votes, keeps the flags for the curators without their author, and keeps a call an admin
posted with the admin's name replaced."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.app import BotApp
from bot.core.messages import Request, RequestKind
from storage.models_calls import CallVolunteer, ContributorCall, ResourceFlag, ResourceVote
from tests.features.calls.world import add_champions
from tests.helpers import actor, private, say, texts


async def press(app: BotApp, name: str, action: str) -> None:
    await app.handle(Request(actor(name), private(name), RequestKind.BUTTON, text=action))


async def test_mydata_and_forget_cover_calls_votes_and_flags(app: BotApp) -> None:
    await add_champions(app, {"ana": ["legal_quotas"], "bea": ["legal_quotas"]})
    await say(app, "sofia", '/call add reviewer 2026-12-01 18:00 "Chapter review" themes=quotas')
    await say(app, "ana", "/call volunteer 1")
    await press(app, "ana", "resource vote 2 up")
    await press(app, "ana", "resource flag 3 broken")
    [attachment] = [a for r in await say(app, "ana", "/mydata") for a in r.attachments]
    mine = json.loads(attachment.data)
    assert mine["calls_answered"][0]["call_id"] == 1
    assert mine["calls_answered"][0]["status"] == "volunteered"
    assert mine["resource_votes"] == [
        {"resource_id": 2, "helpful": True, "updated_at": mine["resource_votes"][0]["updated_at"]}
    ]
    assert mine["resource_flags"][0]["reason"] == "broken"
    [sofia_file] = [a for r in await say(app, "sofia", "/mydata") for a in r.attachments]
    assert json.loads(sofia_file.data)["calls_posted"][0]["title"] == "Chapter review"

    assert "deleted" in texts(await say(app, "ana", "/forget confirm"))
    async with app.database.unit_of_work() as uow:
        assert (await uow.session.scalars(select(CallVolunteer))).all() == []
        assert (await uow.session.scalars(select(ResourceVote))).all() == []
        [flag] = (await uow.session.scalars(select(ResourceFlag))).all()
        assert flag.member_id is None and flag.reason == "broken"

    await say(app, "sofia", "/forget confirm")
    async with app.database.unit_of_work() as uow:
        [call] = (await uow.session.scalars(select(ContributorCall))).all()
    assert call.created_by is None and call.title == "Chapter review"
