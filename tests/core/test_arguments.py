"""Typed arguments parse the same text the same way on every platform."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.arguments import (
    ArgKind,
    ArgSpec,
    Choice,
    parse_duration,
    parse_option_arguments,
    parse_text_arguments,
)
from bot.core.errors import UsageError

FIELD = ArgSpec("field", ArgKind.CHOICE, "", choices=(Choice("bio", "bio"), Choice("name", "n")))
VALUE = ArgSpec("value", ArgKind.TEXT, "")


@given(st.text(min_size=1).filter(lambda s: s.strip() == s and s))
def test_the_last_text_argument_is_kept_exactly_as_typed(value: str) -> None:
    assert parse_text_arguments((FIELD, VALUE), f"bio {value}")["value"] == value


@pytest.mark.parametrize(
    "text",
    ["أعمل على مشاركة المرأة", '"quoted" and *stars* _under_ [x](y)', "don't 'panic", "🙂 ok"],
)
def test_hostile_and_arabic_text_survive(text: str) -> None:
    assert parse_text_arguments((FIELD, VALUE), f"bio {text}")["value"] == text


def test_quotes_group_words_and_datetime_takes_date_and_time() -> None:
    specs = (
        ArgSpec("title", ArgKind.WORD, ""),
        ArgSpec("start", ArgKind.DATETIME, ""),
        ArgSpec("zone", ArgKind.TIMEZONE, ""),
        ArgSpec("offsets", ArgKind.DURATIONS, ""),
    )
    values = parse_text_arguments(
        specs, "“Gender budgeting in LGAs” 2026-11-26 14:00 europe/madrid 1h,24h"
    )
    assert values == {
        "title": "Gender budgeting in LGAs",
        "start": datetime(2026, 11, 26, 14, 0),
        "zone": "Europe/Madrid",
        "offsets": (timedelta(hours=24), timedelta(hours=1)),
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("90m", timedelta(minutes=90)), ("1h30m", timedelta(minutes=90)), ("2d", timedelta(days=2))],
)
def test_durations(raw: str, expected: timedelta) -> None:
    assert parse_duration(raw) == expected


@pytest.mark.parametrize("raw", ["soon", "0m", "1x", "h"])
def test_bad_durations(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(raw)


def test_options_are_converted_and_unknown_ones_refused() -> None:
    assert parse_option_arguments((FIELD, VALUE), {"field": "N", "value": " x "}) == {
        "field": "name",
        "value": "x",
    }
    with pytest.raises(UsageError):
        parse_option_arguments((FIELD, VALUE), {"field": "bio", "value": "x", "evil": "1"})
    with pytest.raises(UsageError):
        parse_option_arguments((FIELD, VALUE), {"field": "bio"})


def test_a_choice_accepts_its_label_as_read_in_any_language() -> None:
    """What Discord lists (and the bot shows) in French or Arabic can be typed back."""
    role = ArgSpec(
        "role", ArgKind.CHOICE, "", choices=(Choice("other", "Other"), Choice("yes", "Yes"))
    )
    assert role.convert("Autre") == "other"
    assert role.convert("OUI") == "yes"
    assert role.convert("Other") == "other"
    with pytest.raises(UsageError):
        role.convert("Autres")
