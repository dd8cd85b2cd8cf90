"""The working group's figures: only shared results, never for fewer than five, admins only."""

from __future__ import annotations

import csv
import io

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.features.assessment.helpers import answer_all, press
from tests.helpers import say, texts

PEOPLE = ["amina", "lucia", "grace", "moana", "rania", "karim"]


async def _share(app: BotApp, name: str, level: int, *, share: bool = True) -> None:
    replies = await answer_all(app, name, [level] * 12, await say(app, name, "/assess start"))
    if share:
        consent = next(
            b.action
            for r in replies
            for row in r.buttons
            for b in row
            if b.action.endswith("share")
        )
        await press(app, name, consent)


async def test_aggregates_refuse_groups_under_five_and_count_only_consenting_members(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    for name in PEOPLE[:4]:
        await _share(app, name, 2)
    await _share(app, "karim", 5, share=False)  # five results, but only four shared
    refused = texts(await say(app, "sofia", "/assess network", admin=True))
    assert "Fewer than five members have shared their results" in refused
    await say(app, "amina", "/profile set region latin_america")
    await _share(app, "rania", 4)  # the fifth who shares
    replies = await say(app, "sofia", "/assess network csv", admin=True)
    said = texts(replies)
    assert "5 members shared their results" in said
    assert "The election journey: 48/100 · On the way" in said  # (2*4 + 4) / 5 * 20; Karim out
    assert "fewer than five" in said  # Amina's region alone
    files = {a.filename: a for r in replies for a in r.attachments}
    assert files["network-assessment.png"].data.startswith(b"\x89PNG")
    assert files["network-regions.png"].data.startswith(b"\x89PNG")
    rows = list(csv.DictReader(io.StringIO(files["network-assessment.csv"].data.decode())))
    latin = [row for row in rows if row["region"] == "latin_america"]
    assert latin and all(row["members"] == "<5" and row["score"] == "" for row in latin)
    whole = [row for row in rows if row["region"] == "all"]
    assert [row["members"] for row in whole] == ["5", "5", "5"]
    member = texts(await say(app, "lucia", "/assess network"))
    assert "for the network's admins" in member
