"""Typed command arguments: one definition, parsed the same way on every platform."""

from __future__ import annotations

import enum
import io
import re
import shlex
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.errors import UsageError
from bot.core.i18n import SUPPORTED_LANGUAGES, translations
from bot.core.timezones import exact_zone, require_zone

MAX_WORD_LENGTH = 200
MAX_TEXT_LENGTH = 4000
"""The longest free text the core accepts in one argument (a question body, a profile bio)."""


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

    @property
    def limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return MAX_TEXT_LENGTH if self.kind is ArgKind.TEXT else MAX_WORD_LENGTH

    def convert(self, raw: str) -> Any:
        """Turn the raw text into the typed value, or raise :class:`UsageError`."""
        value = raw.strip()
        if len(value) > self.limit:
            raise UsageError(
                "“{name}” is too long: {length} characters, at most {limit}.",
                name=self.name,
                length=len(value),
                limit=self.limit,
            )
        converter = _CONVERTERS.get(self.kind, _identity)
        return converter(self, value)


def _identity(spec: ArgSpec, value: str) -> str:
    return value


def _integer(spec: ArgSpec, value: str) -> int:
    try:
        return int(value.lstrip("#"))
    except ValueError:
        raise UsageError("“{value}” is not a number.", value=value) from None


def _choice(spec: ArgSpec, value: str) -> str:
    wanted = value.casefold()
    for choice in spec.choices:
        if wanted in (choice.value.casefold(), choice.label.casefold()):
            return choice.value
    for choice in spec.choices:  # a label as members read it, in any language, names it too
        if any(wanted == label.casefold() for label in translations(choice.label).values()):
            return choice.value
    raise UsageError(
        "“{value}” is not one of: {allowed}.",
        value=value,
        allowed=", ".join(choice.value for choice in spec.choices),
    )


_DURATION_PART = re.compile(r"(\d+)\s*(d|h|m|min|w)", re.IGNORECASE)


def parse_duration(value: str) -> timedelta:
    """``90m``, ``1h30m``, ``24h``, ``2d``, ``1w`` → a timedelta."""
    compact = value.replace(" ", "").lower()
    parts = _DURATION_PART.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise UsageError(
            "“{value}” is not a duration. Write it like 90m, 1h30m, 24h or 2d.", value=value
        )
    units = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
    total = timedelta()
    for number, unit in parts:
        total += int(number) * units.get(unit, timedelta(minutes=1))
    if total <= timedelta():
        raise UsageError("A duration must be longer than zero.")
    return total


def _duration(spec: ArgSpec, value: str) -> timedelta:
    return parse_duration(value)


def _durations(spec: ArgSpec, value: str) -> tuple[timedelta, ...]:
    items = [item for item in re.split(r"[,\s]+", value) if item]
    if not items:
        raise UsageError("Give at least one duration, like 24h,1h.")
    return tuple(sorted({parse_duration(item) for item in items}, reverse=True))


_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H.%M", "%d/%m/%Y %H:%M")


def _datetime(spec: ArgSpec, value: str) -> datetime:
    """A wall-clock date and time (no zone: the handler applies the right one)."""
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise UsageError(
        "“{value}” is not a date and time. Write it like 2026-11-26 14:00.", value=value
    )


def canonical_timezone(value: str) -> str | None:
    """The zone ``value`` names exactly, in today's spelling, or ``None``
    (see :func:`bot.core.timezones.exact_zone`)."""
    return exact_zone(value)


def _timezone(spec: ArgSpec, value: str) -> str:
    return require_zone(value)


_LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "inglés": "en", "ingles": "en", "الإنجليزية": "en",
    "french": "fr", "français": "fr", "francais": "fr", "francés": "fr", "الفرنسية": "fr",
    "spanish": "es", "espagnol": "es", "español": "es", "espanol": "es", "الإسبانية": "es",
    "arabic": "ar", "arabe": "ar", "árabe": "ar", "العربية": "ar",
}  # fmt: skip


def _language(spec: ArgSpec, value: str) -> str:
    folded = value.casefold()
    code = folded if folded in SUPPORTED_LANGUAGES else _LANGUAGE_NAMES.get(folded)
    if code is None:
        raise UsageError(
            "“{value}” is not a language I speak. Choose en, fr, es or ar.", value=value
        )
    return code


_CONVERTERS = {
    ArgKind.INTEGER: _integer,
    ArgKind.CHOICE: _choice,
    ArgKind.DURATION: _duration,
    ArgKind.DURATIONS: _durations,
    ArgKind.DATETIME: _datetime,
    ArgKind.TIMEZONE: _timezone,
    ArgKind.LANGUAGE: _language,
}


_QUOTES = {'"': '"', "'": "'", "“": "”", "«": "»"}


def take_word(text: str) -> tuple[str, str]:
    """The first word of ``text`` and the rest exactly as typed.

    Quotes group words like a shell (``title:"Gender budgeting"`` is one word), typographic
    quotes too when they open the word; an unbalanced quote is kept as typed.
    """
    text = text.lstrip()
    if not text:
        return "", ""
    closing = _QUOTES.get(text[0])
    if closing is not None and closing != text[0]:
        end = text.find(closing, 1)
        if end != -1:
            return text[1:end], text[end + 1 :].lstrip()
    stream = io.StringIO(text)
    lexer = shlex.shlex(stream, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        word = lexer.get_token() or ""
    except ValueError:  # an unbalanced quote: take the word as typed
        parts = text.split(None, 1)
        return parts[0], parts[1] if len(parts) > 1 else ""
    return word, text[stream.tell() :].lstrip()


def split_words(text: str) -> list[str]:
    """Every word of ``text``; quotes group words, an unbalanced quote is kept as typed."""
    words = []
    rest = text
    while rest.strip():
        word, rest = take_word(rest)
        words.append(word)
    return words


def parse_text_arguments(specs: tuple[ArgSpec, ...], text: str) -> dict[str, Any]:
    """Parse ``text`` (what follows the command) against ``specs``.

    Each argument takes one word (quotes group words), except a last ``TEXT`` argument, which
    takes the rest of the line exactly as typed, and a ``DATETIME``, which takes two words
    (date, time) when the second looks like a time.
    """
    values: dict[str, Any] = {}
    rest = text.strip()
    for index, spec in enumerate(specs):
        is_last = index == len(specs) - 1
        if not rest:
            if spec.required:
                raise UsageError("Missing “{name}”.", name=spec.name)
            continue
        if spec.kind is ArgKind.TEXT and is_last:
            raw, rest = rest, ""
        else:
            raw, rest = take_word(rest)
            if spec.kind is ArgKind.DATETIME and rest:
                clock, after = take_word(rest)
                if re.fullmatch(r"\d{1,2}[:.h]\d{2}", clock):
                    raw, rest = f"{raw} {clock.replace('h', ':')}", after
        values[spec.name] = spec.convert(raw)
    if rest:
        raise UsageError("I did not expect “{extra}” here.", extra=rest[:50])
    return values


def parse_option_arguments(specs: tuple[ArgSpec, ...], options: dict[str, str]) -> dict[str, Any]:
    """Convert already-split options (Discord slash options, form fields)."""
    known = {spec.name for spec in specs}
    unknown = set(options) - known
    if unknown:
        raise UsageError("I did not expect “{extra}” here.", extra=", ".join(sorted(unknown)))
    values: dict[str, Any] = {}
    for spec in specs:
        raw = options.get(spec.name)
        if raw is None or str(raw).strip() == "":
            if spec.required:
                raise UsageError("Missing “{name}”.", name=spec.name)
            continue
        values[spec.name] = spec.convert(str(raw))
    return values
