"""The one place that says how a date or a time is written to a reader, per language.

Every user-visible date and time goes through these functions (usually through
:class:`bot.core.i18n.Translator`'s ``format_*`` methods); ``tests/core/test_dates.py`` scans
``bot/`` and ``adapters/`` for hand-made formats. The conventions (see ``docs/style.md``,
"Dates and times"):

- Patterns come from CLDR through Babel skeletons, so each language orders and spells them
  its own way: a date is ``yMMMEd`` (weekday, day, abbreviated month, year: ``Tue, 20 Oct
  2026``, ``mar. 20 oct. 2026``, ``mar, 20 oct 2026``, ``الثلاثاء، 20 أكتوبر 2026``), a time
  is ``Hm`` (24-hour clock in every language), a date and time are joined by the locale's own
  ``{date}, {time}`` pattern (the Arabic comma ``،`` in Arabic).
- English uses the ``en_GB`` CLDR data: day before month and a 24-hour clock, never the US
  order or a 12-hour clock. The members live in Africa, Europe, Latin America and the Middle
  East, where that is how English dates are read.
- Arabic uses Western (Latin) digits, which is Babel's CLDR default for ``ar`` and what the
  Maghreb uses; every other number in the Arabic messages is written with them too, so a card
  never mixes ``٣`` and ``3``.
- A time is always in the reader's zone, followed by that zone's name in brackets
  (``14:05 (Africa/Tunis)``; a fixed offset is shown as ``UTC+03:00``), unless the caller
  shows the zone once for a whole list.

Machine formats (ISO dates in file names, exports' data fields, ``.ics``, keys) do not come
here: they are not read as prose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_time, match_skeleton

DATE_SKELETON = "yMMMEd"
"""Weekday, day, abbreviated month, year."""
SHORT_DATE_SKELETON = "MMMd"
"""Day and abbreviated month, for axis labels and tight lists."""
TIME_SKELETON = "Hm"
"""Hours and minutes on a 24-hour clock."""

_CLDR_LOCALE = {"en": "en_GB", "fr": "fr", "es": "es", "ar": "ar"}
"""The CLDR locale whose patterns each language uses (English: the 24-hour, day-first one)."""


@cache
def cldr_locale(language: str) -> Locale:
    return Locale.parse(_CLDR_LOCALE.get(language, "en_GB"))


@cache
def _pattern(skeleton: str, language: str) -> str:
    """The locale's pattern for ``skeleton``, resolved once (Babel would match it every call)."""
    locale = cldr_locale(language)
    return str(locale.datetime_skeletons[match_skeleton(skeleton, locale.datetime_skeletons)])


def _local(moment: datetime, zone: str) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(zone))


def zone_label(zone: str) -> str:
    """The zone as shown after a time (a fixed offset as the offset it is)."""
    from bot.core.timezones import shown_zone  # timezones imports i18n, which imports this

    return shown_zone(zone)


def _with_zone(text: str, zone: str | None) -> str:
    return f"{text} ({zone_label(zone)})" if zone else text


def date_text(value: date | datetime, language: str, zone: str | None = None) -> str:
    """A calendar date (``Tue, 20 Oct 2026``); a ``datetime`` is first put in ``zone``."""
    day = value
    if isinstance(value, datetime):
        day = _local(value, zone or "UTC").date()
    return format_date(day, _pattern(DATE_SKELETON, language), locale=cldr_locale(language))


def short_date_text(value: date | datetime, language: str, zone: str | None = None) -> str:
    """Day and month only (``20 Oct``): chart axes, lists where the year is obvious."""
    day = value
    if isinstance(value, datetime):
        day = _local(value, zone or "UTC").date()
    pattern = _pattern(SHORT_DATE_SKELETON, language)
    return format_date(day, pattern, locale=cldr_locale(language))


def time_text(moment: datetime, language: str, zone: str, *, show_zone: bool = True) -> str:
    """A time of day in ``zone`` (``14:05 (Africa/Tunis)``)."""
    local = _local(moment, zone)
    text = format_time(local, _pattern(TIME_SKELETON, language), locale=cldr_locale(language))
    return _with_zone(text, zone if show_zone else None)


def datetime_text(moment: datetime, language: str, zone: str, *, show_zone: bool = True) -> str:
    """A date and a time in ``zone`` (``Tue, 20 Oct 2026, 14:05 (Africa/Tunis)``)."""
    pattern = _join_pattern(language)
    text = pattern.format(
        time_text(moment, language, zone, show_zone=False), date_text(moment, language, zone)
    )
    return _with_zone(text, zone if show_zone else None)


def range_text(
    start: datetime, end: datetime, language: str, zone: str, *, show_zone: bool = True
) -> str:
    """From ``start`` to ``end`` in ``zone``: one date when both are on the same day
    (``Tue, 20 Oct 2026, 14:00–16:00``), else both dates and times."""
    locale = cldr_locale(language)
    first, last = _local(start, zone), _local(end, zone)
    if first.date() == last.date():
        times = format_interval(first, last, TIME_SKELETON, locale=locale)
        text = _join_pattern(language).format(times, date_text(first, language))
    else:
        ends = (datetime_text(m, language, zone, show_zone=False) for m in (first, last))
        text = " – ".join(ends)
    return _with_zone(text, zone if show_zone else None)


def day_range_text(first: date, last: date, language: str) -> str:
    """From one calendar day to another (``20 – 22 Oct 2026``), by CLDR's interval patterns."""
    return format_interval(first, last, "yMMMd", locale=cldr_locale(language))


def weekday_name(weekday: int, language: str) -> str:
    """The weekday's full name (0 is Monday), as CLDR writes it in a sentence."""
    return str(cldr_locale(language).days["format"]["wide"][weekday])


@cache
def _join_pattern(language: str) -> str:
    """The locale's ``{1}, {0}`` (date, time) pattern: ``{1}، {0}`` in Arabic."""
    pattern = str(cldr_locale(language).datetime_formats["medium"])
    return pattern.replace("'", "")
