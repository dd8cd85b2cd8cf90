"""The ``DATETIME`` argument: a wall-clock date and time as typed (``2026-11-26 14:00``,
``26/11/2026 à 14h``) or a time on a day named in words (``demain 10h``, ``mañana a las 10``,
``غدا ٢ م``), with a refusal that names the part not understood; a day in words may take
several (``el próximo martes 10:00``). No zone and no clock here: the handler applies both."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock_words import clock_time, linking_words
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
    day, clock, linked = _day_and_clock(value)
    hh_mm = clock_time(clock, linked=linked) if clock else None
    if day_word(day) is not None:
        return _day_and_time(day, clock, hh_mm)
    if hh_mm is not None and is_date(day):  # "2026-11-26 à 14h", "26/11/2026 2 p. m."
        return wall_time(f"{day} {hh_mm}")
    if clock and is_date(day):
        raise UsageError(
            "I understood the date {day} but not the time “{time}”. Write it like 14:00, "
            "14h30 or 2pm.",
            day=day,
            time=clock[:20],
        )
    if hh_mm is not None:
        raise UsageError(
            "I understood the time {time} but not the day “{day}”. Write it like 2026-11-26, "
            "tomorrow or tuesday.",
            time=hh_mm,
            day=day[:40],
        )
    raise UsageError(
        "“{value}” is not a date and time. Write it like 2026-11-26 14:00.", value=value[:40]
    )


def _day_and_clock(value: str) -> tuple[str, str, bool]:
    """``value`` cut into the day and the time, as people type them: before the longest
    ending that is a time (``martes próximo`` | ``14:00``, ``tuesday`` | ``2 pm``,
    ``mañana`` | ``a las 10``, ``martes pasado`` | ``10:00``), else after the longest opening
    that names a day (``mardi prochain`` | ``25h``), else after the first word, so that an
    error names exactly the part it did not understand. The time comes without its linking
    word, and whether there was one (a lone number is a time only after one)."""
    words = value.split()
    for cut in range(1, len(words)):
        clock, linked = _clock_part(" ".join(words[cut:]))
        if clock and clock_time(clock, linked=linked) is not None:
            return " ".join(words[:cut]), clock, linked
    cut = next((n for n in range(len(words), 1, -1) if day_word(" ".join(words[:n]))), 1)
    clock, linked = _clock_part(" ".join(words[cut:]))
    return " ".join(words[:cut]), clock, linked


def _clock_part(text: str) -> tuple[str, bool]:
    """The time part without its linking word (``a las 10:00`` → ``10:00``), so a refusal
    names what was not understood, not the word before it; and whether there was one."""
    words = text.split()
    linked = linking_words(words)
    return " ".join(words[linked:]), linked > 0


def _day_and_time(day: str, clock: str, hh_mm: str | None) -> RelativeDay:
    """``tomorrow 10:00`` and the like; says which half was not understood."""
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
