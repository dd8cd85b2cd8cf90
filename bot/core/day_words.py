"""Days as people type them with a time: ``tomorrow 10:00``, ``demain 10h``, ``mañana 10:00``,
``غدا 10:00``, ``today``/``aujourd'hui``/``hoy``/``اليوم`` and weekdays (``mardi 14h``), alone
or in the phrases people say them in (``next tuesday``, ``mardi prochain``, ``el próximo
martes``, ``martes que viene``, ``يوم الثلاثاء القادم``, ``pasado mañana``).

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
    2: ("day after tomorrow", "après-demain", "après demain", "pasado mañana", "بعد غد",
        "بعد غدا", "بعد بكرة", "بعد بكره"),
}  # fmt: skip
_WEEKDAYS = (  # Monday first, as date.weekday() counts
    ("monday", "mon", "lundi", "lunes", "الاثنين", "الإثنين"),
    ("tuesday", "tue", "tues", "mardi", "martes", "الثلاثاء"),
    ("wednesday", "wed", "mercredi", "miercoles", "الاربعاء"),
    ("thursday", "thu", "thur", "thurs", "jeudi", "jueves", "الخميس"),
    ("friday", "fri", "vendredi", "viernes", "الجمعة"),
    ("saturday", "sat", "samedi", "sabado", "السبت"),
    ("sunday", "sun", "dimanche", "domingo", "الاحد"),
)


_LEADS = ("the", "on", "le", "el", "يوم")
"""Words said before a day that change nothing: ``on tuesday``, ``le mardi``, ``يوم الثلاثاء``."""
_NEXT = ("next", "prochain", "prochaine", "proximo", "proxima", "que viene", "القادم", "القادمة",
         "المقبل", "المقبلة", "الجاي")  # fmt: skip
"""Words for "next" with a weekday, before or after it; the weekday alone already means the
next such day, so they only confirm it (``next tuesday`` is ``tuesday``)."""


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


_LEAD_KEYS = frozenset(_fold(w) for w in _LEADS)
_NEXT_KEYS = tuple(sorted((_fold(w) for w in _NEXT), key=len, reverse=True))
_STARTS = frozenset(k.split()[0] for k in (*_KEYS, *_LEAD_KEYS, *_NEXT_KEYS))


def day_word(word: str) -> tuple[str, int] | None:
    """``("in", days)`` or ``("weekday", n)`` when ``word`` (one word or a phrase of a few)
    names a day, else ``None``."""
    words = [_fold(w) for w in word.split()]
    while words and words[0] in _LEAD_KEYS:
        words = words[1:]
    phrase = " ".join(words)
    if phrase in _KEYS:
        return _KEYS[phrase]
    for modifier in _NEXT_KEYS:  # "next tuesday", "martes próximo", "martes que viene"
        for rest in (phrase.removeprefix(modifier + " "), phrase.removesuffix(" " + modifier)):
            found = _KEYS.get(rest) if rest != phrase else None
            if found is not None and found[0] == "weekday":
                return found
    return None


def starts_day(word: str) -> bool:
    """``word`` can begin a day said in words: a day itself, or "next", "le", "el", "يوم"…
    (the argument parser then reads the words that follow as part of the day)."""
    return _fold(word) in _STARTS


def relative_day(word: str, hh_mm: str) -> RelativeDay | None:
    """``word`` and an ``HH:MM`` time as a :class:`RelativeDay`, or ``None``."""
    found = day_word(word)
    if found is None:
        return None
    clock = time(int(hh_mm[:2]), int(hh_mm[3:5]))
    kind, number = found
    return RelativeDay(clock, days=number) if kind == "in" else RelativeDay(clock, weekday=number)
