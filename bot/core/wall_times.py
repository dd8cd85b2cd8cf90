"""The ``DATETIME`` argument: a wall-clock date and time as typed (``2026-11-26 14:00``,
``26/11/2026 2pm``) or a time on a day named in words (``demain 10h``), with a refusal that
names the part not understood; a day in words may take several (``el próximo martes 10:00``).
No zone and no clock here: the handler applies both."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock_words import clock_time
from bot.core.day_words import RelativeDay, day_word, relative_day
from bot.core.errors import UsageError

EARLIEST = datetime(2000, 1, 1)
LATEST = datetime(2100, 12, 31, 23, 59)
"""The window of a ``DATETIME`` argument: far enough for any event, near enough that a zone
conversion or a reminder offset never leaves the calendar Python and the databases know."""

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H.%M", "%d/%m/%Y %H:%M")


def wall_time(value: str) -> datetime | RelativeDay:
    """A wall-clock date and time (no zone: the handler applies the right one), or a time on
    a day named in words (``tomorrow 10:00``), which the handler resolves with its clock."""
    for fmt in _DATETIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if not EARLIEST <= moment <= LATEST:
            raise UsageError(
                "“{value}” is out of range: give a date between {earliest} and {latest}.",
                value=value[:40],
                earliest=EARLIEST.date(),  # dates: the translator writes them the reader's way
                latest=LATEST.date(),
            )
        return moment
    day, clock = _day_and_clock(value)
    if day_word(day) is not None:
        return _day_and_time(day, clock)
    if clock and is_date(day):
        raise UsageError(
            "I understood the date {day} but not the time “{time}”. Write it like 14:00, "
            "14h30 or 2pm.",
            day=day,
            time=clock[:20],
        )
    if clock and clock_time(clock) is not None:
        raise UsageError(
            "I understood the time {time} but not the day “{day}”. Write it like 2026-11-26, "
            "tomorrow or tuesday.",
            time=clock_time(clock),
            day=day[:40],
        )
    raise UsageError(
        "“{value}” is not a date and time. Write it like 2026-11-26 14:00.", value=value[:40]
    )


def _day_and_clock(value: str) -> tuple[str, str]:
    """``value`` cut into the day and the time, as people type them: before the longest
    ending that is a time (``martes próximo`` | ``14:00``, ``tuesday`` | ``2 pm``,
    ``martes pasado`` | ``10:00``), else after the longest opening that names a day
    (``mardi prochain`` | ``25h``), else after the first word, so that an error names exactly
    the part it did not understand."""
    words = value.split()
    for cut in range(1, len(words)):
        if clock_time(" ".join(words[cut:])) is not None:
            return " ".join(words[:cut]), " ".join(words[cut:])
    cut = next((n for n in range(len(words), 1, -1) if day_word(" ".join(words[:n]))), 1)
    return " ".join(words[:cut]), " ".join(words[cut:])


def _day_and_time(day: str, clock: str) -> RelativeDay:
    """``tomorrow 10:00`` and the like; says which half was not understood."""
    hh_mm = clock_time(clock) if clock else None
    found = relative_day(day, hh_mm) if hh_mm is not None else None
    if found is not None:
        return found
    if not clock:
        raise UsageError(
            "I understood the day “{day}” but it needs a time too, like {day} 14:00.",
            day=day[:40],
        )
    raise UsageError(
        "I understood the date {day} but not the time “{time}”. Write it like 14:00, 14h30 or 2pm.",
        day=day[:40],
        time=clock[:20],
    )


def is_date(text: str) -> bool:
    """``text`` is a date alone (``2026-11-26``, ``26/11/2026``)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return True
    return False
