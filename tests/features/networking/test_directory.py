"""/find: champions who opted in, ranked with the hub's multilingual, typo-tolerant matching."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from storage.repositories.members import EVERYONE
from tests.conftest import make_settings
from tests.features.networking.world import add_champions
from tests.helpers import say, texts


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """On SQLite and PostgreSQL: the directory's queries once failed only on PostgreSQL
    (SELECT DISTINCT over a member's JSON columns)."""
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    yield bot_app
    await bot_app.close()


async def _experts(app: BotApp) -> None:
    await add_champions(app, ("grace", "hope", "laila", "omar"))
    async with app.database.unit_of_work() as uow:
        [grace] = await uow.members.by_name("Grace", EVERYONE)
        grace.expertise = ["gender_budgeting"]
        grace.languages = ["en"]
        [laila] = await uow.members.by_name("Laila", EVERYONE)
        laila.expertise = ["legal_quotas"]
        laila.languages = ["ar", "fr"]
        [omar] = await uow.members.by_name("Omar", EVERYONE)
        omar.expertise = ["gender_budgeting"]
    await say(app, "omar", "/meet findable no")


async def test_french_words_find_an_english_speaking_budgeting_expert(app: BotApp) -> None:
    await _experts(app)
    found = texts(await say(app, "hope", "/find budget sensible au genre"))
    assert "Grace" in found and "Laila" not in found
    assert "Omar" not in found  # withdrew from the directory


async def test_typos_filters_and_languages(app: BotApp) -> None:
    await _experts(app)
    assert "Laila" in texts(await say(app, "hope", "/find quotta"))
    assert "Laila" in texts(await say(app, "hope", "/find cuotas lang:french"))
    assert "Nobody found" in texts(await say(app, "hope", "/find cuotas lang:english"))
    in_region = texts(await say(app, "hope", "/find region:caribe"))  # grace: first two
    assert "Grace" in in_region and "Laila" not in in_region
    assert "do not know" in texts(await say(app, "hope", "/find region:atlantis"))


async def test_the_list_reads_in_the_readers_language(app: BotApp) -> None:
    await _experts(app)
    found = texts(await say(app, "hope", "/find presupuesto", locale="es"))
    assert "Grace" in found and "Campeonas y campeones que pueden ayudar" in found
