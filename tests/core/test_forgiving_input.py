"""Forgiving input: one reading of what people type (bot/core/reading.py), so digits, folded
words, typed lists and everyday times of day work the same in every command and every step,
in the four languages (issue 19, points 5-6)."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec, parse_option_arguments, parse_text_arguments
from bot.core.day_words import RelativeDay
from bot.core.errors import UsageError
from bot.core.language_names import language_code
from bot.core.reading import fold, split_list, typed_number
from bot.core.vocab import country_code
from bot.core.wall_times import wall_time
from tests.helpers import say, texts

SPECS = (ArgSpec("start", ArgKind.DATETIME, "x"), ArgSpec("rest", ArgKind.TEXT, "y", False))
TOMORROW_10 = RelativeDay(time(10, 0), days=1)
TOMORROW_14 = RelativeDay(time(14, 0), days=1)


@pytest.mark.parametrize(("typed", "number"), [("3", 3), ("٣", 3), ("۳", 3), ("#١٢", 12)])
def test_numbers_in_any_digits(typed: str, number: int) -> None:
    assert typed_number(typed) == number
    assert fold(typed).lstrip("#") == str(number)


def test_folding_sets_aside_accents_apostrophes_hyphens_and_arabic_variants() -> None:
    assert fold("Côte d’Ivoire") == fold("cote d'ivoire") == "cote divoire"
    assert fold("États-Unis") == fold("Etats Unis")
    assert fold("غدًا") == fold("غدا") and fold("مدرسة") == fold("مدرسه")


@pytest.mark.parametrize(
    ("typed", "items"),
    [
        ("en, fr", ["en", "fr"]),
        ("français et anglais", ["français", "anglais"]),
        ("Inglés y francés", ["Inglés", "francés"]),
        ("inglese e francese", ["inglese", "francese"]),
        ("English and French", ["English", "French"]),
        ("الإنجليزية والفرنسية", ["الإنجليزية", "الفرنسية"]),
        ("الإنجليزية، الفرنسية", ["الإنجليزية", "الفرنسية"]),
    ],
)
def test_lists_are_split_on_commas_and_on_and_in_every_language(
    typed: str, items: list[str]
) -> None:
    assert split_list(typed) == items


def test_a_part_known_whole_is_not_split_on_its_and() -> None:
    known = {"gender data and statistics", "quotas"}
    found = split_list("Gender data and statistics et quotas", lambda item: fold(item) in known)
    assert found == ["Gender data and statistics", "quotas"]


def test_a_word_that_begins_with_waw_is_not_split_when_nothing_else_is_known() -> None:
    assert split_list("وهران") == ["وهران"]
    assert split_list("عربي وفرنسي", lambda item: language_code(item) is not None) == [
        "عربي",
        "فرنسي",
    ]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Français", "fr"), ("anglais", "en"), ("inglés", "en"), ("Francés", "fr"),
     ("الإنجليزية", "en"), ("عربي", "ar"), ("العربية", "ar"), ("إسباني", "es"), ("pt-BR", "pt")],
)  # fmt: skip
def test_languages_by_name_in_four_languages(typed: str, code: str) -> None:
    assert language_code(typed) == code


def test_the_language_argument_takes_the_adjective_too() -> None:
    spec = ArgSpec("language", ArgKind.LANGUAGE, "x")
    assert spec.convert("عربي") == "ar" and spec.convert("Français") == "fr"
    with pytest.raises(UsageError):
        spec.convert("Deutsch")  # a language, but not one the bot speaks


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Côte d'Ivoire", "CI"), ("cote divoire", "CI"), ("Etats-Unis", "US"),
     ("etats unis", "US"), ("Mexico", "MX"), ("MÉXICO", "MX"), ("تونس", "TN"), ("tn", "TN")],
)  # fmt: skip
def test_countries_fold_accents_apostrophes_and_hyphens(typed: str, code: str) -> None:
    assert country_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("غدا 2 مساءً", TOMORROW_14),
        ("غدا ٢م", TOMORROW_14),
        ("غدا الساعة 14:00", TOMORROW_14),
        ("غدًا الساعة ١٤:٠٠", TOMORROW_14),
        ("mañana 2 p. m.", TOMORROW_14),
        ("mañana 14 h", TOMORROW_14),
        ("mañana a las 10:00", TOMORROW_10),
        ("mañana a las 10", TOMORROW_10),
        ("demain 14 h 30", RelativeDay(time(14, 30), days=1)),
        ("demain à 10h", TOMORROW_10),
        ("tomorrow at 10:00", TOMORROW_10),
        ("tomorrow 2 pm", TOMORROW_14),
        ("2026-11-26 à 14h", datetime(2026, 11, 26, 14, 0)),
    ],
)
def test_everyday_times_in_four_languages(typed: str, start: object) -> None:
    assert parse_text_arguments(SPECS, f"{typed} UTC 60m") == {"start": start, "rest": "UTC 60m"}
    assert parse_option_arguments(SPECS, {"start": typed}) == {"start": start}  # Discord
    assert wall_time(typed) == start


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("mañana a las 25:00", {"day": "mañana", "time": "25:00"}),
        ("demain à midi", {"day": "demain", "time": "midi"}),
        ("tomorrow at 10:99", {"day": "tomorrow", "time": "10:99"}),
        ("غدا الساعة 30:00", {"day": "غدا", "time": "30:00"}),
    ],
)
def test_after_a_linking_word_the_refusal_names_the_time(typed: str, values: dict) -> None:
    for parse in (lambda: parse_text_arguments(SPECS, typed), lambda: wall_time(typed)):
        with pytest.raises(UsageError) as raised:
            parse()
        assert raised.value.values == values


def test_a_day_with_only_a_linking_word_still_needs_a_time() -> None:
    with pytest.raises(UsageError) as raised:
        wall_time("demain à")
    assert isinstance(raised.value.message, str) and "needs a time too" in raised.value.message


@pytest.mark.parametrize("typed", ["14h", "14:00", "2pm", "١٤:٠٠", "14 h", "2 p. m."])
async def test_the_meet_schedule_reads_hours_as_webinars_do(app: BotApp, typed: str) -> None:
    said = texts(await say(app, "sofia", f"/meet schedule weekly mardi {typed}"))
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        settings = await uow.meet.settings(community.id)
    assert (settings.time_of_day, settings.weekday) == ("14:00", 1), said
