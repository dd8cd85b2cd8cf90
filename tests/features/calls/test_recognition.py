"""Recognition: talks given and best answers count on the profile card, in /stats and in the
visibility export (JSON, CSV, Markdown); contribution counters plug in through the hook."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.admin.exports import ExportKind, render_csv
from bot.features.calls import recognition
from bot.features.calls.recognition import PublicRecognition
from storage.unit_of_work import UnitOfWork
from tests.features.calls.world import add_champions
from tests.helpers import say, texts

ADMIN = "sofia"


async def export(app: BotApp, fmt: str) -> str:
    replies = await say(app, ADMIN, f"/export recognition {fmt}")
    [attachment] = [a for r in replies for a in r.attachments]
    return attachment.data.decode()


async def test_talks_and_best_answers_show_on_profile_stats_and_export(
    app: BotApp, clock: ManualClock
) -> None:
    await add_champions(app, {"ana": ["legal_quotas"], "bea": ["legal_quotas"]})
    await say(app, ADMIN, '/webinar add "Quotas clinic" 2026-11-20 15:00 UTC 60m speakers="Ana"')
    await say(app, "bea", "/ask How do we defend a quota in court? #quotas")
    await say(app, "ana", "/answer Q1 Cite the constitutional equality clause")
    await say(app, "bea", "/solved Q1 1")
    await say(app, "ana", "/profile set publish yes")
    before = texts(await say(app, "ana", "/profile"))
    assert "best answers 1" in before and "talks given 0" in before  # not given yet

    clock.advance(timedelta(days=5))  # the webinar has taken place
    card = texts(await say(app, "bea", "/profile Ana"))
    assert "Recognition: talks given 1 · best answers 1 · contributions 0" in card
    stats = texts(await say(app, ADMIN, "/stats"))
    assert "Talks given by members: 1" in stats and "Answers marked best: 1" in stats
    assert "Most recognised: Ana (2)" in stats

    rows = json.loads(await export(app, "json"))
    assert rows == [
        {"name": "Ana", "talks_given": 1, "best_answers": 1, "contributions": 0, "total": 2}
    ]
    table = list(csv.DictReader(io.StringIO(await export(app, "csv"))))
    assert table[0]["name"] == "Ana" and table[0]["talks_given"] == "1"
    markdown = await export(app, "markdown")
    assert "## Ana" in markdown and "- Talks given: 1" in markdown


async def test_a_contribution_counter_plugs_in(app: BotApp, clock: ManualClock) -> None:
    await add_champions(app, {"ana": ["legal_quotas"]})
    async with app.database.unit_of_work() as uow:
        members = await uow.members.all()
    ana_id = next(m.id for m in members if m.display_name == "Ana")

    async def approved(
        uow: UnitOfWork, community_id: int | None, since: datetime | None, until: datetime | None
    ) -> dict[int, int]:
        return {ana_id: 3}

    recognition.contribution_counter(approved)
    recognition.contribution_counter(approved)  # declared once only
    try:
        assert recognition.CONTRIBUTION_COUNTERS.count(approved) == 1
        card = texts(await say(app, "ana", "/profile"))
        assert "contributions 3" in card
        assert "Contributions approved: 3" in texts(await say(app, ADMIN, "/stats"))
    finally:
        recognition.CONTRIBUTION_COUNTERS.remove(approved)


def test_csv_export_never_hands_a_spreadsheet_a_formula() -> None:
    rows = [PublicRecognition('=HYPERLINK("https://evil.example")', 1, 0, 0, 1)]
    [parsed] = list(csv.DictReader(io.StringIO(render_csv(ExportKind.RECOGNITION, rows))))
    assert parsed["name"] == '\'=HYPERLINK("https://evil.example")'
    assert render_csv(ExportKind.RECOGNITION, []) == ""


async def test_the_digest_offers_no_csv(app: BotApp) -> None:
    spec, _used = app.registry.resolve(["digest", "export"])
    assert spec is not None
    [fmt] = [arg for arg in spec.args if arg.name == "format"]
    assert "csv" not in [choice.value for choice in fmt.choices]
