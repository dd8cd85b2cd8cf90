"""A typed level answers the assessment in any digits, and the typed words for the buttons
work in the four languages (issue 19, point 6: "Arabic-Indic digits work in every number")."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.helpers import say, texts

WORDS = {  # (a level in the reader's digits, skip, back), as a member of each language types
    "ar": ("٣", "تخطي", "رجوع"),
    "fr": ("۳", "passer", "Retour"),
    "es": ("3", "omitir", "Atrás"),
    "en": ("3", "skip", "back"),
}


async def _position(app: BotApp, name: str) -> tuple[int, dict[str, int | None]]:
    """The open assessment's current question (0-based) and its answers so far."""
    async with app.database.unit_of_work() as uow:
        found = await uow.members.by_account("console", name)
        assert found is not None
        assessment = await uow.assessments.open_of(found.id)
        assert assessment is not None
        return assessment.position, await uow.assessments.answers(assessment.id)


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
async def test_typed_levels_and_words_in_every_language(
    app: BotApp, clock: ManualClock, language: str
) -> None:
    level, skip, back = WORDS[language]
    name = f"a_{language}"
    await say(app, name, f"/language {language}")
    await say(app, name, "/assess start")
    said = texts(await say(app, name, level))
    position, answers = await _position(app, name)
    assert (position, list(answers.values())) == (1, [3]), said
    await say(app, name, skip)
    assert (await _position(app, name))[0] == 2
    await say(app, name, back)
    assert (await _position(app, name))[0] == 1
