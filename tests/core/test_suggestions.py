"""Every suggestion source an argument names exists and answers what a member types."""

from __future__ import annotations

from bot.app import BotApp
from bot.core.i18n import Translator
from bot.core.suggestions import SuggestionQuery, suggest
from tests.helpers import actor, say


async def test_every_named_source_exists(app: BotApp) -> None:
    named = {arg.suggest for spec in app.registry.all() for arg in spec.args if arg.suggest}
    assert {"timezones", "themes", "resources", "resource_titles", "webinars"} <= named
    assert [name for name in named if app.registry.suggestion(name) is None] == []


async def test_sources_answer_in_the_readers_language(app: BotApp) -> None:
    await say(
        app, "sofia", '/webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid'
    )
    await say(app, "amina", "/help")  # a member of the community, which alone sees its events

    def query(prefix: str, language: str = "en") -> SuggestionQuery:
        return SuggestionQuery(app, actor("amina"), prefix, Translator(language))

    assert next(s.value for s in await suggest(query("tun"), "timezones")) == "Africa/Tunis"
    themes = await suggest(query("budg", "es"), "themes")
    assert [(s.label, s.value) for s in themes] == [
        ("Presupuesto sensible al género", "gender_budgeting")
    ]
    webinars = await suggest(query("budget"), "webinars")
    assert [s.value for s in webinars] == ["1"] and "Gender budgeting" in webinars[0].label
    resources = await suggest(query("toolkit"), "resources")
    assert resources and all(s.value.isdigit() for s in resources)
    titles = await suggest(query("toolkit"), "resource_titles")
    assert any("Toolkit" in s.value for s in titles)
