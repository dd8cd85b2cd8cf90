"""Everything in en/fr/es/ar: the questions, the buttons, the results, the advice, the consent."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.features.assessment.frameworks import Frameworks
from tests.features.assessment.helpers import answer_all, question
from tests.helpers import say, texts

ENGLISH = (
    "min left",
    "min left",
    "Your results",
    "Taken on",
    "since last time",
    "What may help",
    "Hub resource",
    "Ask for a mentor",
    "Note an action",
    "Your result is private",
    "Count me in",
    "Not applicable",
    "Skip question",
    "The election journey",
    "Holding office",
)


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
async def test_a_whole_sitting_reads_in_the_members_language(
    app: BotApp, clock: ManualClock, language: str
) -> None:
    framework = app.services[Frameworks].get()
    name = f"member_{language}"
    await say(app, name, f"/language {language}")  # as her platform's locale would say
    replies = await say(app, name, "/assess start", locale=language)
    first = question(replies)
    labels = [b.label for row in first.buttons for b in row]
    assert framework.scale.name(None, language) in labels
    assert Translator(language).gettext("Skip question") + " ▶" in labels
    levels = [1, 4, 2, 5, 0, 3, 4, 1, 2, 5, 3, 4]
    done = await answer_all(app, name, levels, replies)
    again = await answer_all(
        app, name, levels[::-1], await say(app, name, "/assess start", locale=language)
    )
    said = texts(replies + done + again)
    for english in ENGLISH:
        assert english not in said, (language, english)
    assert framework.title(language) in said
    assert framework.dimensions[0].name(language) in said
    _ = Translator(language).gettext
    assert _("What may help where you are weakest") in said
    assert all(reply.rtl == (language == "ar") for reply in done)
    if language == "ar":  # numbered spokes, the key in words
        assert (
            _("Chart key:") in said
            and "1. " + framework.questions("personal")[0].criterion.name("ar") in said
        )
