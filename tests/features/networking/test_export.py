"""The pairing rounds' figures in the admin exports: participation, meeting rate, repeat rate
and the six-by-six region matrix, the same as /stats and /meet report, in JSON, CSV, Markdown
and HTML."""

from __future__ import annotations

import csv
import io
import json

from bot.app import BotApp
from storage.models_networking import MeetPairing
from storage.statuses import MeetOutcome
from tests.features.networking.world import NAMES, add_champions
from tests.helpers import say, texts


async def _export(app: BotApp, fmt: str) -> str:
    [reply] = await say(app, "sofia", f"/export networking {fmt}")
    assert "nobody is named" in texts([reply])
    return reply.attachments[0].data.decode()


async def test_the_export_has_the_figures_of_stats_and_the_region_matrix(app: BotApp) -> None:
    await add_champions(app, NAMES)  # twelve, two per region
    await say(app, "sofia", "/meet round", update_id="r1")
    await say(app, "sofia", "/meet round", update_id="r2")
    await say(app, "lena", "/meet pause 2w")
    async with app.database.unit_of_work() as uow:  # three answers: two met, one did not
        pairings = (await uow.meet.pairings(1))[:3]
        for pairing, outcome in zip(pairings, (MeetOutcome.MET, MeetOutcome.MET, MeetOutcome.NO),
                                    strict=True):  # fmt: skip
            await uow.meet.record_outcome(1, pairing.member_id, outcome)
        assert all(isinstance(p, MeetPairing) for p in pairings)

    [figures] = json.loads(await _export(app, "json"))
    assert (figures["taking_part"], figures["paused"], figures["left"]) == (11, 1, 0)
    assert (figures["rounds"], figures["pairs"], figures["answers"]) == (2, 12, 3)
    assert figures["meeting_rate"] == round(2 / 3, 3) and figures["repeat_rate"] == 0.0
    matrix = figures["matrix"]
    assert len(matrix) == 6 and all(len(row) == 6 for row in matrix)
    assert all(matrix[i][j] == matrix[j][i] for i in range(6) for j in range(6))
    off_diagonal = sum(matrix[i][j] for i in range(6) for j in range(6) if i != j) // 2
    on_diagonal = sum(matrix[i][i] for i in range(6))
    assert off_diagonal + on_diagonal == figures["pairs"] == 12
    assert figures["regions"][0] == "Latin America"

    stats = texts(await say(app, "sofia", "/stats"))  # the same figures as /stats
    assert "Pairing rounds: members taking part: 11" in stats
    assert "Pairing rounds: meeting rate: 67%" in stats
    assert "Pairing rounds: repeat rate: 0%" in stats

    rows = list(csv.reader(io.StringIO(await _export(app, "csv"))))
    assert ["meeting_rate", str(round(2 / 3, 3))] in rows
    header = next(r for r in rows if r and r[0] == "")
    assert header[1:] == figures["regions"]
    assert [int(n) for n in rows[rows.index(header) + 1][1:]] == matrix[0]

    markdown = await _export(app, "markdown")
    assert (
        "- Meeting rate: 67% (3 answers)" in markdown and "## Who met whom, by region" in markdown
    )
    html = await _export(app, "html")
    assert "<table>" in html and html.count("<tr>") == 7


async def test_the_export_speaks_the_admins_language(app: BotApp) -> None:
    await add_champions(app, NAMES[:2])
    [reply] = await say(app, "sofia", "/export networking markdown", locale="fr")
    text = reply.attachments[0].data.decode()
    assert "Qui a rencontré qui, par région" in text and "Taux de rencontre" in text
