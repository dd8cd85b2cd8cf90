"""Reports, exports and listings run the same number of SQL statements at any size.

Each command is run on a community of 10 and then of 60 champions, questions (half solved,
two answers each), stories, talks, good practices, pending shares and stories, shared
assessments and audit entries (``tests/growth_data.py``, ``tests/growth_more.py``): a query
per row (an N+1) shows up as a count that grows. So does a read in chunks: SQLAlchemy's
``selectin`` loading (``Member.accounts``) asks for 500 parents a statement, more than these
sizes reach, so the test makes its chunks of :data:`CHUNK` (``small_chunks``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import strategies

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.conftest import make_settings
from tests.growth_data import fill
from tests.helpers import counted, say, texts

EXPORTS = [
    f"/export {kind} {fmt}"
    for kind in ("profiles", "stories", "threads", "networking", "recognition")
    for fmt in ("json", "csv", "markdown", "html")
]
COMMANDS = [
    "/stats 30",
    "/digest",
    *(f"/digest export {fmt}" for fmt in ("json", "markdown", "html")),
    *EXPORTS,
    *(f"/practice export {fmt}" for fmt in ("json", "markdown", "html")),
    "/assess export json",
    "/assess export csv",
    "/assess network",
    "/assess network csv",
    "/champion list",
    "/story pending",
    "/audit 100",
    "/threads",
    "/threads solved",
    "/search_advice budget council",
    "/find budget",
    "/call list",
    "/review",
    "/resource flags",
    "/meet report",
]


CHUNK = 4
"""Below the smaller size: a read of every row in chunks takes more statements at the larger."""


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``selectin`` loads of :data:`CHUNK` parents a statement (SQLAlchemy's is 500; the
    attribute is private, so a version that renames it fails here rather than passing)."""
    loader = strategies._SelectInLoader
    assert loader._chunksize == 500
    monkeypatch.setattr(loader, "_chunksize", CHUNK)
    yield


async def _statements(app: BotApp) -> dict[str, int]:
    found: dict[str, int] = {}
    for command in COMMANDS:
        with counted(app) as statements:
            await say(app, "sofia", command)
        found[command] = len(statements)
    return found


@pytest.mark.parametrize("sizes", [(10, 50)])
@pytest.mark.usefixtures("small_chunks")
async def test_reports_run_as_many_statements_at_any_size(
    db_url: str, clock: ManualClock, sizes: tuple[int, int]
) -> None:
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "sofia", "/start")
    community = await app_community_id(app)
    small, large = sizes
    await fill(app.database, community, small, clock.now())
    at_small = await _statements(app)
    await fill(app.database, community, large, clock.now())
    at_large = await _statements(app)
    await app.close()
    grown = {c: (at_small[c], at_large[c]) for c in COMMANDS if at_large[c] != at_small[c]}
    assert grown == {}, "\n".join(f"{c}: {a} -> {b}" for c, (a, b) in grown.items())


async def app_community_id(app: BotApp) -> int:
    from sqlalchemy import select

    from storage.models import Community

    async with app.database.session() as session:
        found = await session.scalar(select(Community.id).order_by(Community.id).limit(1))
        assert found is not None
        return int(found)


async def test_the_digest_shows_ten_items_a_section_and_says_where_the_rest_are(
    app: BotApp, clock: ManualClock
) -> None:
    await say(app, "sofia", "/start")
    await fill(app.database, await app_community_id(app), 40, clock.now())  # 20 solved
    preview = texts(await say(app, "sofia", "/digest"))
    assert preview.count("2 answers") == 10
    assert "…and 10 more: /threads solved" in preview
    assert "…and 30 more." in preview  # stories: no listing to point to
    markdown = (await say(app, "sofia", "/digest export markdown"))[0].attachments[0].data
    assert "_…and 10 more: /threads solved_" in markdown.decode()
    data = (await say(app, "sofia", "/digest export json"))[0].attachments[0].data
    assert b'"solved": 10' in data and b'"stories": 30' in data
