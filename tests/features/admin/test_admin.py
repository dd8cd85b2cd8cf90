"""Admin tools and privacy, through the core as any adapter would reach them."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, inspect, select

from bot.app import BotApp
from bot.core.messages import Destination
from bot.core.registry import Audience
from bot.features.admin.exports import is_rtl
from storage.models import AuditEntry, Base
from tests.helpers import ROOM, say, texts

HOSTILE = '<script>alert("x")</script> & **bold** [link](http://evil) @everyone'


async def audit_count(app: BotApp) -> int:
    async with app.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


async def test_every_admin_command_is_refused_to_non_admins(app: BotApp) -> None:
    admin_specs = [s for s in app.registry.all() if s.audience is Audience.ADMIN]
    assert len(admin_specs) >= 8
    await say(app, "lucia", "/profile set country Colombia")
    for spec in admin_specs:
        for place in (None, ROOM):
            replies = await say(app, "lucia", f"/{spec.name} x", place=place)
            assert "for the network's admins" in texts(replies), spec.name
            assert replies[0].destination is Destination.EPHEMERAL
    assert await audit_count(app) == 0


async def test_roster_shows_who_is_missing_where(app: BotApp) -> None:
    await say(app, "amina", "/profile set country Tunisia")
    await say(app, "lucia", "/profile set country Colombia")
    await say(app, "moana", "/profile set country Cook Islands")
    for name in ("amina", "lucia", "moana"):
        assert "is now a champion" in texts(await say(app, "sofia", f"/champion approve {name}"))
    listing = texts(await say(app, "sofia", "/champion list"))
    assert "Champions of Gender Hub Champions: 3" in listing
    assert "West and Central Africa (0/2): none yet" in listing
    assert "Latin America (1/2): Lucia" in listing
    assert "West and Central Africa: 2 missing" in listing
    assert "no longer a champion" in texts(await say(app, "sofia", "/champion remove Moana"))
    assert "is not a champion" in texts(await say(app, "sofia", "/champion remove Moana"))
    assert "no member called" in texts(await say(app, "sofia", "/champion approve Nobody"))
    assert await audit_count(app) == 4
    audit = texts(await say(app, "sofia", "/audit"))
    assert "champion.remove → Moana" in audit
    assert "Times in " in audit  # the zone is named once; each line has the one date format
    assert not any(mark in audit for mark in (" AM", " PM", "/20"))


async def test_stories_need_a_champion_and_an_admin(app: BotApp) -> None:
    await say(app, "amina", "/start")
    refused = texts(await say(app, "amina", "/story We trained 40 councillors"))
    assert "for approved champions" in refused
    await say(app, "sofia", "/champion approve amina")
    assert "story #1" in texts(await say(app, "amina", "/story We trained 40 councillors"))
    pending = await say(app, "sofia", "/story pending")
    assert [b.action for b in pending[0].buttons[0]] == ["story approve 1", "story reject 1"]
    assert "approved" in texts(await say(app, "sofia", "/story approve 1"))
    assert "already reviewed" in texts(await say(app, "sofia", "/story reject 1"))
    assert "no story #9" in texts(await say(app, "sofia", "/story approve 9"))


async def test_html_export_escapes_hostile_text_and_only_shows_consenting_members(
    app: BotApp,
) -> None:
    await say(app, "amina", "/profile set country Tunisia")
    await say(app, "amina", f"/profile set bio {HOSTILE}")
    await say(app, "amina", "/profile set publish yes")
    await say(app, "rania", "/profile set bio أعمل على مشاركة المرأة في البلديات")
    await say(app, "rania", "/profile set publish yes")
    await say(app, "grace", "/profile set bio Secret person")  # no consent
    for name in ("amina", "rania", "grace"):
        await say(app, "sofia", f"/champion approve {name}")
    replies = await say(app, "sofia", "/export profiles html")
    assert replies[0].destination is Destination.PRIVATE
    page = replies[0].attachments[0].data.decode()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Secret person" not in page and "Grace" not in page
    assert re.search(r'<li class="card" dir="rtl" lang="ar"[^>]*>\s*<h2[^>]*>Rania', page)
    data = json.loads((await say(app, "sofia", "/export profiles json"))[0].attachments[0].data)
    assert sorted(p["name"] for p in data) == ["Amina", "Rania"]
    markdown = (await say(app, "sofia", "/export profiles markdown"))[0].attachments[0].data
    assert b"\\*\\*bold\\*\\*" in markdown and b"[link]" not in markdown


def test_rtl_detection() -> None:
    assert is_rtl("أعمل على مشاركة المرأة") and not is_rtl("Hello مرحبا there friends")


async def test_mydata_sends_everything_privately(app: BotApp) -> None:
    await say(app, "moana", "/profile set timezone Pacific/Rarotonga")
    replies = await say(app, "moana", "/mydata", place=ROOM)
    assert replies[0].destination is Destination.PRIVATE
    data = json.loads(replies[0].attachments[0].data)
    assert data["profile"]["timezone"] == "Pacific/Rarotonga"
    assert data["accounts"] == [{"platform": "console", "user_id": "moana", "username": None}]


async def test_forget_leaves_no_trace_of_the_member(app: BotApp) -> None:
    await say(app, "sofia", "/start")
    await say(app, "moana", "/start", place=ROOM)
    for answer in ("Moana Tere", "elected", "Rarotonga Council", "Cook Islands", "en"):
        await say(app, "moana", answer)
    await say(app, "sofia", "/champion approve Moana Tere")
    await say(app, "moana", "/story Women-led cyclone recovery plan")
    await say(app, "sofia", '/webinar add "Toolkit training" 2026-12-03 10:00 Europe/Madrid 60m')
    await say(app, "moana", "/rsvp 1")
    await say(app, "moana", "/ask How do you budget for island disaster shelters for women? #gbv")
    await say(app, "lucia", "/answer Q1 We pooled funds with the regional government.")
    await say(app, "moana", "/answer Q1 Thanks, we will try a shared fund too.")
    await say(app, "moana", "/resources budgeting")
    confirm = await say(app, "moana", "/forget")
    assert confirm[0].buttons[0][0].action == "forget confirm"
    assert "deleted" in texts(await say(app, "moana", "/forget confirm"))
    needles = ["Moana", "moana", "Rarotonga Council", "cyclone"]
    async with app.database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        for table in Base.metadata.sorted_tables:
            assert table.name in tables
            rows = (await connection.execute(select(table))).mappings().all()
            for row in rows:
                for value in row.values():
                    for needle in needles:
                        assert needle not in str(value), (table.name, value)
    assert "former member" in texts(await say(app, "sofia", "/audit"))
    thread = texts(await say(app, "lucia", "/thread Q1"))  # the question and answers stay
    assert "island disaster shelters" in thread and "former member: Thanks" in thread


@pytest.mark.parametrize("days", ["0", "99999"])
async def test_stats_refuses_silly_periods(app: BotApp, days: str) -> None:
    assert "between 1 and 3660" in texts(await say(app, "sofia", f"/stats {days}"))


async def test_stats_counts_members_and_champions(app: BotApp) -> None:
    await say(app, "amina", "/profile set country Tunisia")
    await say(app, "sofia", "/champion approve amina")
    stats = texts(await say(app, "sofia", "/stats 7"))
    assert "Champions: 1" in stats and "North Africa and Middle East: 1" in stats
