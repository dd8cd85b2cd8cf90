"""Days as people type them with a time: ``tomorrow 10:00``, ``demain 10h``, ``mañana 10:00``,
``غدا 10:00``, ``today``/``aujourd'hui``/``hoy``/``اليوم`` and weekdays (``mardi 14h``).

The argument converter has no clock, so it returns a :class:`RelativeDay`; the handler
resolves it against the injected clock in the event's zone (``events.input.aware_start``),
where "tomorrow" is a local calendar day, not 24 hours."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_DAYS = {
    0: ("today", "aujourd'hui", "aujourdhui", "auj", "hoy", "اليوم"),
    1: ("tomorrow", "tmrw", "demain", "manana", "غدا", "بكرة", "بكره"),
}
_WEEKDAYS = (  # Monday first, as date.weekday() counts
    ("monday", "mon", "lundi", "lunes", "الاثنين", "الإثنين"),
    ("tuesday", "tue", "tues", "mardi", "martes", "الثلاثاء"),
    ("wednesday", "wed", "mercredi", "miercoles", "الاربعاء"),
    ("thursday", "thu", "thur", "thurs", "jeudi", "jueves", "الخميس"),
    ("friday", "fri", "vendredi", "viernes", "الجمعة"),
    ("saturday", "sat", "samedi", "sabado", "السبت"),
    ("sunday", "sun", "dimanche", "domingo", "الاحد"),
)


def _fold(word: str) -> str:
    """Case, accents, Arabic vowel marks and hamza seats aside; typographic apostrophes
    made straight (``Aujourd’hui``, ``Mañana``, ``غدًا``, ``الأحد`` all fold)."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


_KEYS: dict[str, tuple[str, int]] = {
    **{_fold(w): ("in", days) for days, words in _DAYS.items() for w in words},
    **{_fold(w): ("weekday", day) for day, words in enumerate(_WEEKDAYS) for w in words},
}


@dataclass(frozen=True)
class RelativeDay:
    """A time on a day named relative to today: ``days`` ahead, or the next ``weekday``
    (0 = Monday; always after today: "today" is the word for today)."""

    clock: time
    days: int | None = None
    weekday: int | None = None

    def on(self, today: date) -> datetime:
        """The wall-clock date and time this names when the local date is ``today``."""
        if self.weekday is not None:
            ahead = (self.weekday - today.weekday() - 1) % 7 + 1
        else:
            ahead = self.days or 0
        return datetime.combine(today + timedelta(days=ahead), self.clock)


WallTime = datetime | RelativeDay
"""What a ``DATETIME`` argument gives a handler: a wall-clock date and time, or one on a day
named in words; ``events.input.aware_start`` turns either into an instant."""


def day_word(word: str) -> tuple[str, int] | None:
    """``("in", days)`` or ``("weekday", n)`` when ``word`` names a day, else ``None``."""
    return _KEYS.get(_fold(word))


def relative_day(word: str, hh_mm: str) -> RelativeDay | None:
    """``word`` and an ``HH:MM`` time as a :class:`RelativeDay`, or ``None``."""
    found = day_word(word)
    if found is None:
        return None
    clock = time(int(hh_mm[:2]), int(hh_mm[3:5]))
    kind, number = found
    return RelativeDay(clock, days=number) if kind == "in" else RelativeDay(clock, weekday=number)
