"""What a command's arguments are: their kinds, bounds and choices, and how each kind turns typed
text into a typed value (or a :class:`UsageError` that says why not).

One definition (:class:`ArgSpec`) serves every platform: the typed line
(:func:`bot.core.arguments.parse_text_arguments`) and the platforms' own options
(:func:`bot.core.arguments.parse_option_arguments`) both end in :meth:`ArgSpec.convert`, so a
value is checked the same way wherever it was typed. The value parsers other modules share
(:func:`parse_number`, :func:`parse_duration`, :func:`as_id`...) live here for that reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.core.durations import duration_items, duration_minutes
from bot.core.errors import UsageError
from bot.core.i18n import SUPPORTED_LANGUAGES, Plural, translations
from bot.core.keywords import ArgumentName, WordList, ascii_digits, fold, spellings
from bot.core.language_names import language_code
from bot.core.timezones import exact_zone, require_zone
from bot.core.wall_times import wall_time

MAX_WORD_LENGTH = 200
MAX_TEXT_LENGTH = 4000
"""The longest free text the core accepts in one argument (a question body, a profile bio)."""

INTEGER_MIN = 1
INTEGER_MAX = 2**31 - 1
"""The range of an ``INTEGER`` argument that declares none. Numbers people type here are ids
and counts: ids start at 1, and every integer column is ``INTEGER``, 32-bit signed on
PostgreSQL (``storage/models.py``), so a larger number could not even be looked up."""
DURATION_MIN = timedelta(minutes=1)
DURATION_MAX = timedelta(days=366)
"""The range of any duration (an event's length, a reminder offset) unless its argument
declares a narrower one."""

Bound = int | timedelta


class ArgKind(enum.StrEnum):
    WORD = "word"
    TEXT = "text"
    """Free text; when it is the last argument it takes the rest of the line."""
    INTEGER = "integer"
    CHOICE = "choice"
    DATETIME = "datetime"
    DURATION = "duration"
    DURATIONS = "durations"
    TIMEZONE = "timezone"
    LANGUAGE = "language"
    MEMBER = "member"
    RESOURCE = "resource"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    """An untranslated msgid shown to people."""


@dataclass(frozen=True)
class ArgSpec:
    """One argument of a command."""

    name: str
    kind: ArgKind
    description: str
    required: bool = True
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    suggest: str | None = None
    """Name of a suggestion source for autocomplete (``timezones``, ``resources``...)."""
    long: bool = False
    """Long input: Discord asks for it in a modal."""
    minimum: Bound | None = None
    maximum: Bound | None = None
    """Inclusive bounds of an ``INTEGER`` (ints) or ``DURATION(S)`` (timedeltas) argument,
    within the defaults above (:data:`INTEGER_MIN`... :data:`DURATION_MAX`)."""
    max_items: int | None = None
    """At most this many values in a ``DURATIONS`` argument."""

    def __post_init__(self) -> None:
        low, high = self.bounds
        if low is not None and low > high:
            raise ValueError(f"argument {self.name!r}: minimum above maximum")

    @property
    def bounds(self) -> tuple[Any, Any]:
        """The inclusive range of this argument's value (or of each value, for durations).

        Declared bounds must stay inside the defaults: a number beyond :data:`INTEGER_MAX`
        would not fit the columns, a duration beyond :data:`DURATION_MAX` not the calendar."""
        if self.kind is ArgKind.INTEGER:
            defaults: tuple[Bound, Bound] = (INTEGER_MIN, INTEGER_MAX)
            kind: type = int
        elif self.kind in (ArgKind.DURATION, ArgKind.DURATIONS):
            defaults, kind = (DURATION_MIN, DURATION_MAX), timedelta
        else:
            if self.minimum is not None or self.maximum is not None:
                raise ValueError(f"argument {self.name!r}: only numbers and durations have bounds")
            return (None, None)
        low = defaults[0] if self.minimum is None else self.minimum
        high = defaults[1] if self.maximum is None else self.maximum
        if not (isinstance(low, kind) and isinstance(high, kind)):
            raise ValueError(f"argument {self.name!r}: bounds must be {kind.__name__}s")
        if low < defaults[0] or high > defaults[1]:  # type: ignore[operator]
            raise ValueError(f"argument {self.name!r}: bounds beyond {defaults}")
        return (low, high)

    @property
    def limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return MAX_TEXT_LENGTH if self.kind is ArgKind.TEXT else MAX_WORD_LENGTH

    def convert(self, raw: str) -> Any:
        """Turn the raw text into the typed value, or raise :class:`UsageError`.

        Digits are made ASCII first for every kind but free text, so an Arabic reader's
        ``١٢`` is 12 in every id, count, offset, date and time."""
        value = raw.strip()
        if self.kind is not ArgKind.TEXT:
            value = ascii_digits(value)
        if len(value) > self.limit:
            raise UsageError(
                Plural(
                    "“{name}” is too long: {count} character, at most {limit}.",
                    "“{name}” is too long: {count} characters, at most {limit}.",
                    len(value),
                ),
                name=ArgumentName(self.name),
                limit=self.limit,
            )
        converter = _CONVERTERS.get(self.kind, _identity)
        return converter(self, value)


def _identity(spec: ArgSpec, value: str) -> str:
    return value


def parse_number(value: str, minimum: int = INTEGER_MIN, maximum: int = INTEGER_MAX) -> int:
    """``12`` or ``#12`` → 12, if it lies in ``minimum..maximum``; else :class:`UsageError`."""
    value = ascii_digits(value)
    try:
        number = int(value.lstrip("#"))
    except ValueError:
        raise UsageError("“{value}” is not a number.", value=value[:40]) from None
    if not minimum <= number <= maximum:
        raise UsageError(
            "“{value}” is out of range: give a number between {minimum} and {maximum}.",
            value=value[:40],
            minimum=minimum,
            maximum=maximum,
        )
    return number


def as_id(value: str) -> int | None:
    """The id ``value`` spells in digits (``12``), or ``None`` when it is not one that any row
    could have (not digits, zero, or beyond :data:`INTEGER_MAX`): for lookups that answer
    "not found" rather than explain."""
    value = ascii_digits(value)
    if not value.isdecimal() or len(value) > 10:
        return None
    number = int(value)
    return number if INTEGER_MIN <= number <= INTEGER_MAX else None


def _integer(spec: ArgSpec, value: str) -> int:
    low, high = spec.bounds
    return parse_number(value, low, high)


def choice_spellings(choice: Choice, language: str | None = None) -> tuple[str, ...]:
    """What names ``choice`` in ``language`` (every language when None): its keywords of the
    keywords file, then its label as that language reads it; the value always."""
    languages = SUPPORTED_LANGUAGES if language is None else (language,)
    found = [str(choice.value)]
    for lang in languages:
        found.extend(spellings(str(choice.value), lang))
        found.append(translations(choice.label).get(lang, choice.label))
    return tuple(dict.fromkeys(found))


def _choice(spec: ArgSpec, value: str) -> str:
    """The choice ``value`` names: its English value or label, or any of its keywords or
    labels in the four languages, folded (``MÍAS`` = ``mias``); a ``#`` before it, as ``/ask``
    taught for themes, is allowed."""
    wanted = fold(value.lstrip("#"))
    for choice in spec.choices:  # the value first: it wins over another choice's synonym
        if wanted == fold(choice.value):
            return choice.value
    for choice in spec.choices:
        if any(wanted == fold(spelled) for spelled in choice_spellings(choice)):
            return choice.value
    raise UsageError(
        "“{value}” is not one of: {allowed}.",
        value=value,
        allowed=WordList(tuple(str(choice.value) for choice in spec.choices)),
    )


def format_duration(value: timedelta) -> str:
    """A duration the way people type it here: ``30d``, ``1h30m``, ``5m``."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return "".join(parts) or "0m"


def parse_duration(
    value: str, minimum: timedelta = DURATION_MIN, maximum: timedelta = DURATION_MAX
) -> timedelta:
    """``90m``, ``1h30``, ``24h``, ``2d``, ``2j``, ``2 días``, ``ساعتان`` → a timedelta within
    ``minimum..maximum`` (the words: :mod:`bot.core.durations`)."""
    minutes = duration_minutes(value)
    if minutes is None:
        raise UsageError(
            "“{value}” is not a duration. Write it like 90m, 1h30m, 24h or 2d.", value=value[:40]
        )
    # Counted in whole minutes (Python ints never overflow) before any timedelta is made.
    if minutes <= 0:
        raise UsageError("A duration must be longer than zero.")
    if not minimum.total_seconds() <= minutes * 60 <= maximum.total_seconds():
        raise UsageError(
            "“{value}” is out of range: give a duration between {minimum} and {maximum}.",
            value=value[:40],
            minimum=format_duration(minimum),
            maximum=format_duration(maximum),
        )
    return timedelta(minutes=minutes)


def _duration(spec: ArgSpec, value: str) -> timedelta:
    return parse_duration(value, *spec.bounds)


def _durations(spec: ArgSpec, value: str) -> tuple[timedelta, ...]:
    items = duration_items(value)
    if not items:
        raise UsageError("Give at least one duration, like 24h,1h.")
    found = {parse_duration(item, *spec.bounds) for item in items}
    if spec.max_items is not None and len(found) > spec.max_items:
        raise UsageError(
            Plural(
                "Give at most {count} duration (you gave {given}).",
                "Give at most {count} durations (you gave {given}).",
                spec.max_items,
            ),
            given=len(found),
        )
    return tuple(sorted(found, reverse=True))


def canonical_timezone(value: str) -> str | None:
    """The zone ``value`` names exactly, in today's spelling, or ``None``
    (see :func:`bot.core.timezones.exact_zone`)."""
    return exact_zone(value)


def _timezone(spec: ArgSpec, value: str) -> str:
    return require_zone(value)


def _language(spec: ArgSpec, value: str) -> str:
    """One of the bot's languages, by code or by name in any of them (``français``,
    ``inglés``, ``عربي``: :mod:`bot.core.language_names`)."""
    code = language_code(value)
    if code not in SUPPORTED_LANGUAGES:
        raise UsageError(
            "“{value}” is not a language I speak. Choose en, fr, es or ar.", value=value
        )
    return code


_CONVERTERS = {
    ArgKind.INTEGER: _integer,
    ArgKind.CHOICE: _choice,
    ArgKind.DURATION: _duration,
    ArgKind.DURATIONS: _durations,
    ArgKind.DATETIME: lambda _spec, value: wall_time(value),
    ArgKind.TIMEZONE: _timezone,
    ArgKind.LANGUAGE: _language,
}
