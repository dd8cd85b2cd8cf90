"""Onboarding and /profile set read answers as people type them, in the four languages:
Arabic-Indic and Persian digits, lists joined with "and", countries without their accents or
typographic apostrophes, themes as /ask taught them (#gbv) (issue 19, points 5-6)."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from tests.features.profiles.test_profiles import member
from tests.helpers import say, texts

ONBOARDING = {
    "ar": ["أمينة", "١", "بلدية تونس", "تونس", "الإنجليزية والفرنسية", "١، ٨", "تخطي",
           "مستشارة", "١"],
    "fr": ["Aya", "۱", "Ville d'Abidjan", "Côte d'Ivoire", "français et anglais", "#gbv et 1",
           "passer", "Élue locale", "Oui"],
    "es": ["Lucía", "١", "Alcaldía", "Etats-Unis", "Inglés y francés", "١ y ٨", "omitir",
           "Concejala", "Sí"],
    "en": ["Grace", "1", "City of Accra", "cote divoire", "English and French", "#gbv, 1",
           "skip", "Councillor", "yes"],
}  # fmt: skip


@pytest.mark.parametrize("language", ["ar", "fr", "es", "en"])
async def test_onboarding_takes_natural_answers_in_every_language(
    app: BotApp, language: str
) -> None:
    name = f"m_{language}"
    await say(app, name, f"/language {language}")
    await say(app, name, "/start")
    for answer in ONBOARDING[language]:
        replies = await say(app, name, answer)
    saved = await member(app, name)
    assert saved.onboarded, texts(replies)
    assert saved.role == "elected"
    assert saved.country in ("TN", "CI", "US")
    assert sorted(saved.languages) == ["en", "fr"]
    assert sorted(saved.expertise) == ["gbv", "gender_mainstreaming"]
    assert saved.consent_publish


@pytest.mark.parametrize(
    ("language", "field", "typed", "stored"),
    [
        ("ar", "expertise", "١، ٨", ["gender_mainstreaming", "gbv"]),
        ("ar", "languages", "الإنجليزية والفرنسية", ["en", "fr"]),
        ("ar", "languages", "عربي", ["ar"]),
        ("ar", "role", "٢", "association"),
        ("fr", "country", "Côte d'Ivoire", "CI"),
        ("fr", "country", "Etats-Unis", "US"),
        ("fr", "languages", "français et anglais", ["fr", "en"]),
        ("fr", "expertise", "#gbv", ["gbv"]),
        ("es", "languages", "Inglés y francés", ["en", "fr"]),
        ("es", "expertise", "۱ y ۸", ["gender_mainstreaming", "gbv"]),
        ("es", "expertise", "#vbg", ["gbv"]),
        ("en", "expertise", "#gbv", ["gbv"]),
        ("en", "expertise", "Gender data and statistics and #gbv", ["data", "gbv"]),
        ("en", "languages", "English and Spanish", ["en", "es"]),
    ],
)
async def test_profile_set_reads_the_same_answers(
    app: BotApp, language: str, field: str, typed: str, stored: object
) -> None:
    name = f"p_{language}"
    await say(app, name, f"/language {language}")
    reply = texts(await say(app, name, f"/profile set {field} {typed}"))
    saved = await member(app, name)
    assert getattr(saved, field) == stored, reply


@pytest.mark.parametrize(("language", "typed"), [("ar", "عربي"), ("fr", "Français"),
                                                 ("es", "inglés"), ("en", "Spanish")])  # fmt: skip
async def test_the_bot_language_by_name(app: BotApp, language: str, typed: str) -> None:
    await say(app, "lang", f"/language {language}")
    await say(app, "lang", f"/language {typed}")
    assert (await member(app, "lang")).language == {
        "عربي": "ar", "Français": "fr", "inglés": "en", "Spanish": "es"
    }[typed]  # fmt: skip
