"""Times of day as people type them, and a precise refusal when only the time is wrong."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.core.arguments import ArgKind, ArgSpec, parse_text_arguments
from bot.core.clock_words import clock_time
from bot.core.errors import UsageError

SPECS = (ArgSpec("start", ArgKind.DATETIME, "x"), ArgSpec("rest", ArgKind.TEXT, "y", False))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:00", "14:00"), ("14h", "14:00"), ("14h30", "14:30"), ("2pm", "14:00"),
     ("2:30pm", "14:30"), ("12am", "00:00"), ("12pm", "12:00"), ("١٤:٣٠", "14:30"),
     ("25h", None), ("13pm", None), ("14", None), ("14:61", None)],
)  # fmt: skip
def test_clock_time(typed: str, expected: str | None) -> None:
    assert clock_time(typed) == expected


@pytest.mark.parametrize("typed", ["2pm", "2 pm", "14h", "14:00", "14.00"])
def test_a_date_then_a_time_as_people_type_it(typed: str) -> None:
    found = parse_text_arguments(SPECS, f"2026-11-26 {typed} UTC 60m")
    assert found == {"start": datetime(2026, 11, 26, 14, 0), "rest": "UTC 60m"}


def test_a_wrong_time_is_named_precisely() -> None:
    with pytest.raises(UsageError) as raised:
        parse_text_arguments(SPECS, "2026-11-26 25:00 UTC")
    assert raised.value.values == {"day": "2026-11-26", "time": "25:00"}
    assert parse_text_arguments(SPECS, "2026-11-26T14:00 60m")["rest"] == "60m"
