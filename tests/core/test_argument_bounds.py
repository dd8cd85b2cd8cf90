"""Each argument kind knows its bounds: a number that could not fit a column, a duration or
date that would leave the calendar, is a polite usage error, never a database error."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.arguments import (
    DURATION_MAX,
    INTEGER_MAX,
    ArgKind,
    ArgSpec,
    as_id,
    format_duration,
    parse_duration,
    parse_text_arguments,
)
from bot.core.errors import UsageError
from bot.core.i18n import Translator

ID = ArgSpec("id", ArgKind.INTEGER, "")
DAYS = ArgSpec("days", ArgKind.INTEGER, "", minimum=1, maximum=3660)
OFFSETS = ArgSpec(
    "offsets",
    ArgKind.DURATIONS,
    "",
    minimum=timedelta(minutes=5),
    maximum=timedelta(days=30),
    max_items=5,
)
START = ArgSpec("start", ArgKind.DATETIME, "")


def refusal(spec: ArgSpec, raw: str) -> str:
    with pytest.raises(UsageError) as caught:
        spec.convert(raw)
    return Translator("en").translate(caught.value.message, **caught.value.values)


@pytest.mark.parametrize("raw", ["1", "#12", "2147483647", "١٢"])
def test_ids_within_the_column_range_parse(raw: str) -> None:
    assert 1 <= ID.convert(raw) <= INTEGER_MAX


@pytest.mark.parametrize(
    "raw", ["2147483648", "9223372036854775808", "9" * 150, "0", "-1", "-2147483649"]
)
def test_numbers_beyond_the_columns_are_refused_politely(raw: str) -> None:
    said = refusal(ID, raw)
    assert "out of range" in said and "between 1 and 2147483647" in said


def test_a_declared_range_replaces_the_default() -> None:
    assert DAYS.convert("3660") == 3660
    assert "between 1 and 3660" in refusal(DAYS, "3661")


@given(st.integers())
def test_any_integer_either_fits_or_is_refused(number: int) -> None:
    try:
        value = ID.convert(str(number))
    except UsageError:
        assert not 1 <= number <= INTEGER_MAX
    else:
        assert value == number and 1 <= value <= INTEGER_MAX


@pytest.mark.parametrize("raw", ["99999999h", "9" * 30 + "m", "367d", "53w"])
def test_durations_beyond_a_year_are_refused_before_any_overflow(raw: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_duration(raw)
    assert caught.value.values["maximum"] == "366d"


def test_offsets_are_few_and_between_five_minutes_and_thirty_days() -> None:
    assert OFFSETS.convert("24h,1h,5m,30d") == (
        timedelta(days=30), timedelta(days=1), timedelta(hours=1), timedelta(minutes=5)
    )  # fmt: skip
    assert "between 5m and 30d" in refusal(OFFSETS, "4m")
    assert "between 5m and 30d" in refusal(OFFSETS, "31d")
    assert "at most 5" in refusal(OFFSETS, "5m,10m,15m,20m,25m,30m")
    assert len(OFFSETS.convert("1h,60m,1h")) == 1  # the same offset twice counts once


@pytest.mark.parametrize("raw", ["9999-12-31 23:59", "0001-01-01 00:00", "2101-01-01 00:00"])
def test_dates_outside_the_window_are_refused(raw: str) -> None:
    assert "between Sat, 1 Jan 2000 and Fri, 31 Dec 2100" in refusal(START, raw)


def test_dates_inside_the_window_parse() -> None:
    assert START.convert("2100-12-31 23:59") == datetime(2100, 12, 31, 23, 59)
    assert parse_text_arguments((START,), "2000-01-01 00:00") == {"start": datetime(2000, 1, 1)}


def test_far_dates_cannot_overflow_with_any_zone_or_offset() -> None:
    from zoneinfo import ZoneInfo

    latest = START.convert("2100-12-31 23:59").replace(tzinfo=ZoneInfo("Etc/GMT+12"))
    assert (latest.astimezone(ZoneInfo("UTC")) + DURATION_MAX).year == 2102
    earliest = START.convert("2000-01-01 00:00").replace(tzinfo=ZoneInfo("Etc/GMT-14"))
    assert (earliest.astimezone(ZoneInfo("UTC")) - DURATION_MAX).year == 1998


def test_bounds_are_checked_when_declared() -> None:
    with pytest.raises(ValueError, match="beyond"):
        ArgSpec("n", ArgKind.INTEGER, "", maximum=2**31)
    with pytest.raises(ValueError, match="only numbers and durations"):
        ArgSpec("w", ArgKind.WORD, "", maximum=3)
    with pytest.raises(ValueError, match="timedeltas"):
        ArgSpec("d", ArgKind.DURATION, "", maximum=3)
    with pytest.raises(ValueError, match="minimum above maximum"):
        ArgSpec("n", ArgKind.INTEGER, "", minimum=5, maximum=4)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("2147483647", INTEGER_MAX), ("2147483648", None), ("0", None),
     ("²", None), ("-1", None), ("12a", None), ("", None), ("١٢", 12), ("9" * 5000, None)],
)  # fmt: skip
def test_as_id_answers_none_for_what_no_row_could_have(raw: str, expected: int | None) -> None:
    assert as_id(raw) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [(timedelta(minutes=5), "5m"), (timedelta(days=30), "30d"), (timedelta(minutes=90), "1h30m"),
     (timedelta(days=366), "366d"), (timedelta(), "0m")],
)  # fmt: skip
def test_format_duration_writes_what_people_type(value: timedelta, text: str) -> None:
    assert format_duration(value) == text
    if value:
        assert parse_duration(text) == value
