"""Importing JSON Lines, CSV and RSS/Atom: idempotent, and a bad row never stops the rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from bot.cli import main
from bot.features.hub.importer import import_file
from storage.database import Database
from tests.features.hub.conftest import SAMPLE

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def snapshot(database: Database) -> list[tuple[object, ...]]:
    async with database.unit_of_work() as uow:
        return [
            (r.dedup_key, r.title, r.url, r.type, r.themes, r.regions, r.languages, r.year)
            for r in await uow.resources.all()
        ]


async def test_importing_the_sample_twice_gives_the_same_catalogue(database: Database) -> None:
    first = await import_file(database, SAMPLE, now=NOW)
    assert (first.added, first.updated, first.unchanged, first.rejected) == (60, 0, 0, [])
    before = await snapshot(database)
    second = await import_file(database, SAMPLE, now=NOW + timedelta(days=1))
    assert (second.added, second.updated, second.unchanged, second.rejected) == (0, 0, 60, [])
    assert await snapshot(database) == before
    themes = {code for row in before for code in cast(list[str], row[4])}  # Resource.themes
    assert {"gender_budgeting", "legal_quotas", "safe_spaces", "lga_change"} <= themes


async def test_a_changed_row_is_updated_by_url(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    row = {"title": "Guide A", "url": "https://example.org/a", "type": "guide", "year": 2020}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    await import_file(database, path, now=NOW)
    row["title"] = "Guide A (second edition)"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = await import_file(database, path, now=NOW + timedelta(hours=1))
    assert (report.added, report.updated) == (0, 1)
    rows = await snapshot(database)
    assert len(rows) == 1 and rows[0][1] == "Guide A (second edition)"


async def test_broken_rows_are_reported_and_good_rows_imported(
    database: Database, tmp_path: Path
) -> None:
    lines = [
        json.dumps({"title": "Good one", "publisher": "CIB", "year": 2024, "type": "toolkit"}),
        "{not json",
        json.dumps({"publisher": "CIB", "year": 2024}),
        json.dumps({"title": "Bad year", "year": "someday"}),
        json.dumps({"title": "Bad url", "url": "javascript:alert(1)"}),
        json.dumps({"title": "Bad type", "type": "sculpture"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Good two", "publisher": "UN Women", "themes": ["gender quotas"]}),
        json.dumps({"title": "Good one", "publisher": "CIB", "year": 2024, "type": "toolkit"}),
    ]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = await import_file(database, path, now=NOW)
    assert report.added == 2
    reasons = dict(report.rejected)
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 9]
    assert "JSON" in reasons[2]
    assert "title is missing" in reasons[3]
    assert "year" in reasons[4]
    assert "url" in reasons[5]
    assert "sculpture" in reasons[6]
    assert "duplicate of line 1" in reasons[9]
    titles = [row[1] for row in await snapshot(database)]
    assert titles == ["Good one", "Good two"]


async def test_csv_import(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "hub.csv"
    path.write_text(
        "title,url,type,themes,regions,languages,publisher,year,summary\n"
        "Guía de presupuestos,https://example.org/g,guide,gender budgeting;data,"
        'Latin America,es,CIB,2023,"Una guía, con comas"\n'
        ",https://example.org/x,guide,,,,,2023,no title\n"
        "Too,many,columns,here,x,x,x,x,x,x,x\n",
        encoding="utf-8",
    )
    report = await import_file(database, path, now=NOW)
    assert report.added == 1
    assert [number for number, _ in report.rejected] == [3, 4]
    (row,) = await snapshot(database)
    assert row[4] == ["gender_budgeting", "data"] and row[5] == ["latin_america"]
    assert row[6] == ["es"]


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>CIB Gender Hub</title><language>en</language>
<item><title>New toolkit on &lt;b&gt;gender&lt;/b&gt; budgeting</title>
<link>https://example.org/news/1</link><description>&lt;p&gt;A toolkit.&lt;/p&gt;</description>
<pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate><category>gender budgeting</category></item>
<item><title></title><link>https://example.org/news/2</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Connective Cities</title>
<entry><title>Women's leadership insight session</title>
<link href="https://example.org/cc/1"/><updated>2024-02-05T10:00:00Z</updated>
<summary>Quotas and legal barriers.</summary><category term="legal barriers"/></entry>
</feed>"""


@pytest.mark.parametrize(
    ("name", "content", "title"),
    [
        ("news.rss", RSS, "New toolkit on gender budgeting"),
        ("news.atom", ATOM, "Women's leadership insight session"),
    ],
)
async def test_feed_import(
    database: Database, tmp_path: Path, name: str, content: str, title: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = await import_file(database, path, now=NOW)
    assert report.added == 1
    rows = await snapshot(database)
    assert rows[0][1] == title and rows[0][3] == "news" and rows[0][7] in (2024, 2026)
    assert rows[0][4] in (["gender_budgeting"], ["legal_quotas"])
    if name == "news.rss":
        assert report.rejected == [(2, "title is missing")]
    again = await import_file(database, path, now=NOW)
    assert again.unchanged == 1 and again.added == 0


def test_cli_import_and_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    assert main(["hub", "import", "--db", url, str(SAMPLE)]) == 0
    assert "added 60, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    assert main(["hub", "import", "--db", url, str(SAMPLE)]) == 0
    assert "added 0, updated 0, unchanged 60" in capsys.readouterr().out
    assert main(["hub", "search", "--db", url, "cuotas", "--limit", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and all({"title", "url", "score"} <= set(row) for row in rows)
    assert rows[0]["score"] >= rows[-1]["score"] > 0
    assert main(["hub", "search", "--db", url, "quota", "--theme", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_cli_reports_rejected_rows_with_line_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "Fine"}\n{"year": 2020}\n', encoding="utf-8")
    assert main(["hub", "import", "--db", url, str(path)]) == 1
    out = capsys.readouterr().out
    assert "added 1" in out and "line 2: title is missing" in out


def test_importing_the_sample_after_the_first_start_reports_it_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first start loads the demo catalogue (the same resources as the sample); the
    admin's first import of the sample must not read as 60 changes to their catalogue."""
    import asyncio

    from bot.app import BotApp
    from tests.conftest import make_settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    async def first_start() -> int:
        app = await BotApp.start(make_settings(url))
        try:
            async with app.database.unit_of_work() as uow:
                return await uow.resources.count()
        finally:
            await app.close()

    assert asyncio.run(first_start()) == 60
    assert main(["hub", "import", "--db", url, str(SAMPLE)]) == 0
    assert "added 60, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    assert main(["hub", "import", "--db", url, str(SAMPLE)]) == 0
    assert "added 0, updated 0, unchanged 60, rejected 0" in capsys.readouterr().out
