"""/champion list names ten champions a region, counts the rest, and gives every name as a file."""

from __future__ import annotations

import csv
import io
import re

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.admin.roster import SHOWN
from tests.features.admin.test_growth import app_community_id
from tests.growth_data import fill
from tests.helpers import say, texts


async def test_a_long_roster_names_ten_a_region_and_counts_the_rest(
    app: BotApp, clock: ManualClock
) -> None:
    await say(app, "sofia", "/start")
    await fill(app.database, await app_community_id(app), 78, clock.now())  # 13 a region
    listing = texts(await say(app, "sofia", "/champion list"))
    assert "Champions of Gender Hub Champions: 78" in listing
    mena = next(row for row in listing.splitlines() if "Middle East" in row)
    assert "(13/2)" in mena
    assert len(re.findall(r"Member \d+", mena)) == SHOWN
    assert mena.endswith(" and 3 more")
    assert "Every name, as a file: /champion list csv" in listing
    replies = await say(app, "sofia", "/champion list csv")
    files = [a for r in replies for a in r.attachments]
    assert [f.filename for f in files] == ["champions.csv"]
    rows = list(csv.DictReader(io.StringIO(files[0].data.decode())))
    assert len(rows) == 78
    assert sum(row["region"] == "mena" for row in rows) == 13
    assert "Every name" not in texts(replies)  # the file is there


async def test_a_short_roster_names_everyone_without_pointing_to_a_file(app: BotApp) -> None:
    await say(app, "lucia", "/profile set country Colombia")
    await say(app, "sofia", "/champion approve lucia")
    listing = texts(await say(app, "sofia", "/champion list"))
    assert "Latin America (1/2): Lucia" in listing
    assert "more" not in listing and "/champion list csv" not in listing


async def test_the_rest_is_counted_in_the_reader_language(app: BotApp, clock: ManualClock) -> None:
    await say(app, "sofia", "/start")
    await fill(app.database, await app_community_id(app), 78, clock.now())
    await say(app, "sofia", "/language es")
    listing = texts(await say(app, "sofia", "/champion list"))
    assert " y 3 más" in listing
    assert "Todos los nombres, en un archivo: /champion list csv" in listing
