"""/mydata lists a member's contributions; /forget deletes them. An approved resource stays
in the catalogue (a public document) but loses its "shared by" credit (docs/privacy.md)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.app import BotApp
from storage.models import Resource
from storage.models_contributions import Contribution
from tests.helpers import say, texts

GUIDE = "https://example.org/grb-toolkit"
TITLE = "Toolkit for gender budgeting in city councils"


async def _count(app: BotApp, model: type) -> int:
    async with app.database.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_mydata_and_forget_cover_contributions(app: BotApp) -> None:
    await say(app, "amina", "/cancel")
    await say(app, "sofia", "/champion approve Amina", admin=True)
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    await say(app, "amina", "/share https://example.org/second A second useful guide")
    await say(app, "amina", "/practice")
    await say(app, "amina", "Night buses")
    await say(app, "sofia", "/review approve 1", admin=True)
    await say(app, "sofia", "/review decline 2 Out of scope", admin=True)

    [mydata] = [r for r in await say(app, "amina", "/mydata") if r.attachments]
    data = json.loads(mydata.attachments[0].data)
    shared = {row["id"]: row for row in data["contributions"]}
    assert shared[1]["status"] == "approved" and shared[1]["url"] == GUIDE
    assert shared[2]["review_note"] == "Out of scope"
    assert shared[3]["kind"] == "practice" and shared[3]["sections"] == {"title": "Night buses"}
    [sofia] = [r for r in await say(app, "sofia", "/mydata", admin=True) if r.attachments]
    reviewed = json.loads(sofia.attachments[0].data)["contributions_reviewed"]
    assert sorted(row["id"] for row in reviewed) == [1, 2]

    assert "Shared by Amina" in texts(
        await say(app, "karim", "/resources gender budgeting toolkit")
    )
    resources = await _count(app, Resource)
    await say(app, "amina", "/forget")
    await say(app, "amina", "/forget confirm")
    assert await _count(app, Contribution) == 0
    assert await _count(app, Resource) == resources  # the resource stays in the catalogue
    found = texts(await say(app, "karim", "/resources gender budgeting toolkit"))
    assert TITLE in found and "Shared by" not in found and "Amina" not in found
