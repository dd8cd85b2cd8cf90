"""Command words, choice keywords, argument names and digits in the member's language.

The checks walk the whole registry, so a command or a choice added later is covered the day
it is declared: it fails here until the keywords file gives its words in every language.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

import pytest

from bot.app import BotApp
from bot.core.arguments import (
    ArgKind,
    ArgSpec,
    Choice,
    as_id,
    choice_spellings,
    format_duration,
    parse_number,
)
from bot.core.errors import UsageError
from bot.core.i18n import translations
from bot.core.keywords import ascii_digits, fold, keywords, localize, placeholder, spellings
from bot.core.registry import Registry
from bot.features import build_registry
from bot.features.events.commands import OFFSETS_ARG
from tests.helpers import say, texts

LANGUAGES = ("fr", "es", "ar")
INTERNATIONAL = frozenset({"json", "csv", "markdown", "html"})
"""Choice values every language writes the same way."""

REGISTRY: Registry = build_registry()
CHOICE_ARGS = [
    pytest.param(arg, id=f"{spec.name}:{arg.name}")
    for spec in REGISTRY.all()
    for arg in spec.args
    if arg.kind is ArgKind.CHOICE
]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _variants(word: str) -> set[str]:
    """``word`` as people type it: as written, upper case, without accents."""
    return {word, word.upper(), fold(word)}


def test_the_walk_finds_the_choice_arguments() -> None:
    names = {param.id for param in CHOICE_ARGS}
    assert {"threads:filter", "advice_notices:state", "export:what", "assess start:track"} <= names


@pytest.mark.parametrize("arg", CHOICE_ARGS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_localized_keyword_means_the_english_one(arg: ArgSpec, language: str) -> None:
    for choice in arg.choices:
        localized = set(choice_spellings(choice, language)) - {choice.value}
        listed = keywords().words.get(str(choice.value), {}).get(language)
        if str(choice.value) not in INTERNATIONAL:
            assert listed or translations(choice.label)[language] != choice.label, (
                f"{arg.name}={choice.value}: no {language} keyword"
            )
        for word in (choice.value, *localized):
            for typed in _variants(word):
                assert arg.convert(typed) == choice.value, (language, typed)


@pytest.mark.parametrize("arg", CHOICE_ARGS)
def test_no_keyword_names_two_choices_of_one_argument(arg: ArgSpec) -> None:
    owner: dict[str, str] = {}
    for choice in arg.choices:
        for word in choice_spellings(choice):
            other = owner.setdefault(fold(word), str(choice.value))
            assert other == choice.value, f"{arg.name}: {word!r} names {other} and {choice.value}"


def test_a_choice_refused_lists_the_readers_keywords() -> None:
    arg = ArgSpec(
        "filter", ArgKind.CHOICE, "f", choices=tuple(Choice(v, v) for v in ("open", "all"))
    )
    with pytest.raises(UsageError) as refused:
        arg.convert("nada")
    assert localize(refused.value.values, "es")["allowed"] == "abiertas, todas"
    assert str(refused.value.values["allowed"]) == "open, all"


def test_a_theme_may_be_typed_as_a_hashtag() -> None:
    theme = next(a for s in REGISTRY.all() for a in s.args if a.suggest == "themes")
    assert theme.convert("#gbv") == "gbv"
    assert theme.convert("#Gender_mainstreaming") == "gender_mainstreaming"


SUBCOMMANDS = sorted({spec.path for spec in REGISTRY.all() if len(spec.path) > 1})


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_subcommand_word_works_in_every_language(language: str) -> None:
    for path in SUBCOMMANDS:
        for depth in range(1, len(path)):
            assert spellings(path[depth], language), f"{path[depth]!r}: no {language} word"
        parent = REGISTRY.get(path[:-1])
        if parent is not None and any(arg.kind is ArgKind.TEXT for arg in parent.args):
            continue  # /story <text>: English subcommand words only (test below)
        for word in spellings(path[-1], language):
            for typed in _variants(word):
                words = [*path[:-1], typed, "x"]
                spec, used = REGISTRY.resolve(words)
                assert spec is not None and spec.path == path, (path, typed)
                assert used == len(path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_usage_lines_name_arguments_in_the_readers_language(language: str) -> None:
    for spec in REGISTRY.all():
        line = spec.usage_in(language)
        for arg in spec.args:
            name = placeholder(arg.name, language)
            assert name != arg.name or arg.name in keywords().arguments, (spec.name, arg.name)
            assert (f"<{name}>" if arg.required else f"[{name}]") in line
    threads = REGISTRY.get(("threads",))
    assert threads is not None
    assert threads.usage_in("es") == "/threads [filtro] [tema]"
    assert threads.usage == "/threads [filter] [theme]"
    forget = REGISTRY.get(("forget", "confirm"))
    assert forget is not None and forget.usage_in("fr") == "/forget confirmer"


# digits ------------------------------------------------------------------------------

NUMBER_KINDS = (ArgKind.INTEGER, ArgKind.DURATION, ArgKind.DURATIONS, ArgKind.DATETIME)
NUMBER_ARGS = [
    pytest.param(arg, id=f"{spec.name}:{arg.name}")
    for spec in REGISTRY.all()
    for arg in spec.args
    if arg.kind in NUMBER_KINDS
] + [
    # /reminders takes text (its offsets, or "off") and converts the offsets with this one
    pytest.param(OFFSETS_ARG, id="reminders:offsets"),
]


def _sample(arg: ArgSpec) -> str:
    """A valid value of ``arg`` written with ASCII digits."""
    low, high = arg.bounds
    if arg.kind is ArgKind.INTEGER:
        return str(min(low + 11, high))
    if arg.kind in (ArgKind.DURATION, ArgKind.DURATIONS):
        return format_duration(min(max(low, timedelta(hours=2)), high))
    return "2026-11-26 14:05"


def test_the_walk_finds_every_kind_of_number() -> None:
    # each param above holds one ArgSpec; pytest types a param's values as any objects
    assert {cast(ArgSpec, param.values[0]).kind for param in NUMBER_ARGS} == set(NUMBER_KINDS)


@pytest.mark.parametrize("arg", NUMBER_ARGS)
@pytest.mark.parametrize("digits", [ARABIC_INDIC, EASTERN], ids=["arabic-indic", "eastern"])
def test_every_number_argument_reads_arabic_digits(arg: ArgSpec, digits: dict[int, str]) -> None:
    ascii_value = _sample(arg)
    assert arg.convert(ascii_value.translate(digits)) == arg.convert(ascii_value)


def test_ids_numbers_and_dates_read_arabic_digits() -> None:
    assert as_id("١٢") == 12 and as_id("۱۲") == 12 and as_id("#١٢".lstrip("#")) == 12
    assert parse_number("#٤٢") == 42
    assert ascii_digits("٢٠٢٦-١١-٢٦ ١٤:٠٠") == "2026-11-26 14:00"
    when = ArgSpec("start", ArgKind.DATETIME, "s").convert("٢٠٢٦-١١-٢٦ ١٤:٠٠")
    assert when == datetime(2026, 11, 26, 14, 0)


def test_free_text_keeps_its_digits() -> None:
    assert ArgSpec("text", ArgKind.TEXT, "t").convert("سؤال ١٢") == "سؤال ١٢"


# end to end ------------------------------------------------------------------------------


async def test_threads_accepts_the_keywords_its_help_names(app: BotApp) -> None:
    for typed in ("todas", "TODAS", "mías", "mias", "MÍAS", "abiertas", "all", "#gbv"):
        reply = texts(await say(app, "lucia", f"/threads {typed}", locale="es"))
        assert "No questions match" in reply or "Ninguna" in reply or "/thread" in reply, typed
        assert "no es" not in reply and "is not one of" not in reply, typed


async def test_a_refused_keyword_is_explained_in_the_readers_words(app: BotApp) -> None:
    reply = texts(await say(app, "amina", "/threads bof", locale="fr"))
    assert "ouvertes, résolues, miennes, toutes" in reply
    assert "/threads [filtre] [thème]" in reply


async def test_forget_confirm_in_french(app: BotApp) -> None:
    await say(app, "amina", "/start")
    reply = texts(await say(app, "amina", "/forget confirmer", locale="fr"))
    assert "/forget" not in reply or "Je ne connais pas" not in reply
    assert "I don't know" not in reply


async def test_a_bare_group_lists_its_subcommands_for_the_reader(app: BotApp) -> None:
    member = texts(await say(app, "lucia", "/webinar"))
    admin = texts(await say(app, "sofia", "/webinar"))
    assert "Add one more word after /webinar" in admin and "/webinar add <title> <start>" in admin
    assert "Did you mean /webinar?" not in member + admin
    assert "/webinar add" not in member  # only what the reader may run
    assert "for the network's admins" in texts(await say(app, "lucia", "/champion"))
    french = texts(await say(app, "sofia", "/champion", locale="fr"))
    assert "/champion approuver <membre>" in french


async def test_a_mistyped_subcommand_suggests_the_whole_line(app: BotApp) -> None:
    reply = texts(await say(app, "sofia", "/champion aprove lucia"))
    assert "/champion approve lucia" in reply
    assert "Did you mean /champion?" not in reply
    spanish = texts(await say(app, "sofia", "/champion aprobr lucia", locale="es"))
    assert "/champion aprobar lucia" in spanish
    assert "/forget confirm" in texts(await say(app, "amina", "/forget confirmr"))


def test_free_text_after_a_command_is_not_read_as_a_localized_subcommand() -> None:
    spec, used = REGISTRY.resolve(["story", "Rechazar", "la", "violencia"])
    assert spec is not None and spec.path == ("story",) and used == 1
    spec, _ = REGISTRY.resolve(["story", "reject", "3"])
    assert spec is not None and spec.path == ("story", "reject")


def test_word_arguments_holding_ids_and_dates_get_ascii_digits() -> None:
    """Handlers parse some ids and dates themselves (``/mentor until <id> <date>``): they
    receive ASCII digits too, from the same argument layer."""
    words = [a for s in REGISTRY.all() for a in s.args if a.kind is ArgKind.WORD]
    assert {a.name for a in words} >= {"id", "date", "index"}
    for arg in words:
        if arg.limit >= 10:
            assert arg.convert("٢٠٢٦-١١-٢٦") == "2026-11-26"
        assert arg.convert("۱۲") == "12"
