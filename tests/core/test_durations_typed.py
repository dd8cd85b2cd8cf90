"""Durations and ``key=value`` names as members type them in four languages (issue 19, F):
one reader for every duration argument, one keyword table for every field name."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.core.arguments import ArgKind, ArgSpec, parse_duration
from bot.core.errors import UsageError
from bot.features.calls.input import parse_details
from bot.features.hub.admin_commands import parse_fields
from bot.features.networking.directory import parse_query
from bot.features.networking.schedule import parse_time_of_day

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("90m", 90 * timedelta(minutes=1)),
        ("1h30", 90 * timedelta(minutes=1)),
        ("1 heure 30", 90 * timedelta(minutes=1)),
        ("2j", 2 * DAY),
        ("2 jours", 2 * DAY),
        ("2 días", 2 * DAY),
        ("1 hora y 30 minutos", 90 * timedelta(minutes=1)),
        ("ساعتان", 2 * HOUR),
        ("يومين", 2 * DAY),
        ("٣ ساعات", 3 * HOUR),
        ("ساعة", HOUR),
        ("semaine", 7 * DAY),
    ],
)
def test_durations_in_four_languages(typed: str, expected: timedelta) -> None:
    assert parse_duration(typed) == expected


@pytest.mark.parametrize("typed", ["h", "min", "j", "1,5h", "deux heures", "30"])
def test_what_is_not_a_duration_is_refused(typed: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2j,1h", (2 * DAY, HOUR)),
        ("2 días, 1 hora", (2 * DAY, HOUR)),
        ("24h 1h", (DAY, HOUR)),
        ("يومان، ساعتان", (2 * DAY, 2 * HOUR)),
    ],
)
def test_lists_of_durations(typed: str, expected: tuple[timedelta, ...]) -> None:
    spec = ArgSpec("offsets", ArgKind.DURATIONS, "")
    assert set(spec.convert(typed)) == set(expected)


def test_call_keys_in_every_language() -> None:
    for typed in (
        "événement=1 thème=quotas places=2 Dix minutes",
        "evento=1 temas=cuotas plazas=2 Diez minutos",
        "الفعالية=1 موضوع=quotas المقاعد=٢ عشر دقائق",
    ):
        found = parse_details(typed)
        assert (found.event_id, found.themes, found.seats) == (1, ["legal_quotas"], 2), typed
        assert "=" not in found.description


def test_resource_fields_in_every_language() -> None:
    assert parse_fields('titre:"Un guide" langue:fr année:2024') == {
        "title": "Un guide", "languages": ["fr"], "year": "2024",
    }  # fmt: skip
    assert parse_fields("tipo:guide enlace:https://x.org")["url"] == "https://x.org"


def test_directory_filters_in_french() -> None:
    words, filters = parse_query("quotas région:mena langue:fr")
    assert words == "quotas" and filters.region == "mena" and filters.lang == "fr"


@pytest.mark.parametrize(
    ("typed", "expected"), [("09:00", time(9)), ("9h", time(9)), ("14h30", time(14, 30))]
)
def test_meet_schedule_hours_as_typed(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected
