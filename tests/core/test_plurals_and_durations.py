"""Counts, durations and lists read as a native speaker writes them, in every language.

A count is a plural message (``ngettext``/``Plural``), so no reader meets "1 attendees" or an
Arabic number without agreement; durations and lists come from Babel (CLDR), so Arabic says
"خلال يومين" (genitive after the preposition) and separates with "،" and "و", never a Latin
comma or a glued "بـيومان".
"""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from typing import Literal

import pytest

from bot.core.i18n import SUPPORTED_LANGUAGES, Translator
from tests.i18n_tools import ROOT, SOURCES, code_messages, placeholders, translation

COUNT_NAMES = {"count", "n"}
"""Placeholders that hold a count: only plural messages have them."""

NOT_NOUNS = {"is", "was", "has", "does", "thanks", "asks", "means", "cancels", "opens", "starts"}
"""Words ending in -s that follow a placeholder as a verb (``{name} thanks you``)."""

_NUMBER_THEN_NOUN = re.compile(r"\{(\w+)\}\s+([a-z]+s)\b")

PLAIN_CALLS = {"_", "gettext", "UserFacingError", "UsageError", "NotFoundError"}


def _plain_messages() -> dict[str, str]:
    return {m: where for m, where in code_messages().items() if isinstance(m, str)}


def test_no_plain_message_holds_a_count() -> None:
    """The rule, checked on the source: a placeholder named ``count``/``n``, or one followed by
    a plural noun ("{hours} hours", "{length} characters"), is a count, so its message must be
    a plural one. Label-style figures ("Sent: {sent}") need no agreement and stay plain."""
    wrong = []
    for message, where in _plain_messages().items():
        nouns = [
            (name, word)
            for name, word in _NUMBER_THEN_NOUN.findall(message)
            if word not in NOT_NOUNS
        ]
        if placeholders(message) & COUNT_NAMES or nouns:
            wrong.append(f"{where}: {message!r}")
    assert wrong == []


def test_no_plain_message_is_fed_a_length_before_a_word() -> None:
    """At the call sites: ``_("… {x} things", x=len(items))`` is a count in disguise."""
    wrong = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                first = node.args[0] if node.args else None
                if name not in PLAIN_CALLS or not isinstance(first, ast.Constant):
                    continue
                for keyword in node.keywords:
                    value = keyword.value
                    counted = isinstance(value, ast.Call) and getattr(value.func, "id", "") == "len"
                    if counted and re.search(
                        r"\{" + str(keyword.arg) + r"\}\s+[^\W\d_]", str(first.value)
                    ):
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {first.value!r}")
    assert wrong == []


def test_plural_messages_name_their_number_count() -> None:
    plurals = [m for m in code_messages() if isinstance(m, tuple)]
    assert len(plurals) >= 40
    assert [m for m in plurals if "{count}" not in m[1]] == []


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_plural_message_has_all_its_forms(language: str) -> None:
    forms = {"fr": 2, "es": 2, "ar": 6}[language]
    for message in code_messages():
        if isinstance(message, tuple):
            found = translation(language, message)
            assert isinstance(found, tuple) and len(found) == forms and all(found), message


ATTENDEES = ("Saved. {count} attendee was told.", "Saved. {count} attendees were told.")


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("en", 1, "Saved. 1 attendee was told."),
        ("en", 2, "Saved. 2 attendees were told."),
        ("fr", 0, "Enregistré. 0 personne inscrite a été prévenue."),
        ("fr", 1, "Enregistré. 1 personne inscrite a été prévenue."),
        ("fr", 2, "Enregistré. 2 personnes inscrites ont été prévenues."),
        ("es", 1, "Guardado. Se avisó a 1 persona inscrita."),
        ("es", 0, "Guardado. Se avisó a 0 personas inscritas."),
        ("ar", 0, "تم الحفظ. لم يُبلَّغ أي مشارك."),
        ("ar", 1, "تم الحفظ. أُبلغ مشارك واحد."),
        ("ar", 2, "تم الحفظ. أُبلغ مشاركان."),
        ("ar", 3, "تم الحفظ. أُبلغ 3 مشاركين."),
        ("ar", 10, "تم الحفظ. أُبلغ 10 مشاركين."),
        ("ar", 11, "تم الحفظ. أُبلغ 11 مشاركًا."),
        ("ar", 99, "تم الحفظ. أُبلغ 99 مشاركًا."),
        ("ar", 100, "تم الحفظ. أُبلغ 100 مشارك."),
        ("ar", 103, "تم الحفظ. أُبلغ 103 مشاركين."),
    ],
)
def test_a_count_agrees_in_each_language(language: str, n: int, expected: str) -> None:
    assert Translator(language).ngettext(*ATTENDEES, n) == expected


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "in 1 day"),
        ("en", 2, "in 2 days"),
        ("fr", 2, "dans 2 jours"),
        ("es", 2, "dentro de 2 días"),
        ("ar", 1, "خلال يوم واحد"),
        ("ar", 2, "خلال يومين"),  # genitive dual after the preposition, never "بعد يومان"
        ("ar", 3, "خلال 3 أيام"),
        ("ar", 11, "خلال 11 يومًا"),
        ("ar", 100, "خلال 100 يوم"),
    ],
)
def test_in_so_many_days(language: str, days: int, expected: str) -> None:
    assert Translator(language).duration(timedelta(days=days), direction=True) == expected


@pytest.mark.parametrize(
    ("language", "minutes", "expected"),
    [
        ("en", 90, "90 minutes"),  # exact: never rounded up to "2 hours"
        ("en", 120, "2 hours"),
        ("fr", 2880, "2\xa0jours"),
        ("es", 60, "1 hora"),
        ("ar", 2880, "يومان"),  # after a colon: the nominative
        ("ar", 180, "3 ساعات"),
        ("ar", 11 * 1440, "11 يومًا"),
    ],
)
def test_a_duration_alone(language: str, minutes: int, expected: str) -> None:
    assert Translator(language).duration(timedelta(minutes=minutes)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Amina, Bea, and Carla"),
        ("fr", "Amina, Bea et Carla"),
        ("es", "Amina, Bea y Carla"),
        ("ar", "Amina وBea وCarla"),
    ],
)
def test_lists_are_joined_the_languages_way(language: str, expected: str) -> None:
    assert Translator(language).format_list(["Amina", "Bea", "Carla"]) == expected
    assert Translator(language).format_list(["Amina"]) == "Amina"
    assert Translator(language).format_list([]) == ""


def test_no_list_in_arabic_has_a_latin_comma() -> None:
    arabic = Translator("ar")
    joined = arabic.format_list(["يومين", "ساعة", "دقيقة"], style="unit-narrow")
    assert "," not in joined and "و" in joined


@pytest.mark.parametrize(
    ("language", "offsets", "expected"),
    [
        ("en", [60, 1440], "1 day before and 1 hour before"),
        ("fr", [1440, 60], "1 jour avant et 1 heure avant"),
        ("es", [2880, 30], "2 días antes y 30 minutos antes"),
        ("ar", [1440, 60], "قبل يوم واحد وقبل ساعة واحدة"),
        ("ar", [2880, 120], "قبل يومين وقبل ساعتين"),
        ("ar", [3 * 1440, 11 * 60, 15], "قبل 3 أيام وقبل 11 ساعة وقبل 15 دقيقة"),
    ],
)
def test_reminder_offsets_read_as_a_sentence(
    language: str, offsets: list[int], expected: str
) -> None:
    from bot.features.events.cards import reminders_text

    assert reminders_text(offsets, Translator(language)) == expected


@pytest.mark.parametrize("unit", ["day", "hour", "minute"])
def test_arabic_before_agrees_with_cldr(unit: Literal["day", "hour", "minute"]) -> None:
    """Our "قبل …" forms are CLDR's own past relative forms (Babel), for every plural form."""
    from babel.dates import format_timedelta

    from bot.features.events.cards import before_text

    size = {"day": 1440, "hour": 60, "minute": 1}[unit]
    arabic = Translator("ar")
    for n in (1, 2, 3, 10, 11, 99, 100, 101, 111):
        ours = before_text(n * size, arabic)
        cldr = format_timedelta(
            -timedelta(minutes=n * size),
            granularity=unit,
            threshold=10**9,
            add_direction=True,
            locale="ar",
        )
        assert ours == cldr, (n, unit)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_a_reminder_says_when_with_the_languages_preposition(language: str) -> None:
    from datetime import UTC, datetime

    from bot.features.events.cards import reminder_reply
    from storage.models import Event

    event = Event(
        id=1, community_id=1, title="Quotas", starts_at=datetime(2026, 12, 3, 14, tzinfo=UTC),
        timezone="UTC", duration_minutes=60,
    )  # fmt: skip
    text = reminder_reply(event, event.starts_at, 2880, Translator(language), "UTC").body.plain()
    expected = {"en": "in 2 days", "fr": "dans 2 jours", "es": "dentro de 2 días",
                "ar": "خلال يومين"}[language]  # fmt: skip
    assert expected in text
    assert "يومان" not in text and "بعد" not in text
