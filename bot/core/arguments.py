"""Typed command arguments: one definition, parsed the same way on every platform.

This module parses a request's arguments against the command's :class:`ArgSpec` list: the typed
line (words, quotes, a date said in several words with its time of day) or the options a
platform already split (Discord slash options, form fields). What an argument is and how each
kind is converted: :mod:`bot.core.argument_spec`; splitting text into words:
:mod:`bot.core.typed_words`. Their public names are importable from here too, as they were
before the split, so callers need not know where each lives.
"""

from __future__ import annotations

from typing import Any

from bot.core.argument_spec import (
    DURATION_MAX,
    DURATION_MIN,
    INTEGER_MAX,
    INTEGER_MIN,
    MAX_TEXT_LENGTH,
    MAX_WORD_LENGTH,
    ArgKind,
    ArgSpec,
    Bound,
    Choice,
    as_id,
    canonical_timezone,
    choice_spellings,
    format_duration,
    parse_duration,
    parse_number,
)
from bot.core.clock_words import clock_time, linking_words, take_clock
from bot.core.day_words import day_word, starts_day
from bot.core.errors import UsageError
from bot.core.keywords import ArgumentName
from bot.core.typed_words import drop_words, split_words, take_word
from bot.core.wall_times import is_date

__all__ = [
    "DURATION_MAX",
    "DURATION_MIN",
    "INTEGER_MAX",
    "INTEGER_MIN",
    "MAX_TEXT_LENGTH",
    "MAX_WORD_LENGTH",
    "ArgKind",
    "ArgSpec",
    "Bound",
    "Choice",
    "as_id",
    "canonical_timezone",
    "choice_spellings",
    "drop_words",
    "format_duration",
    "parse_duration",
    "parse_number",
    "parse_option_arguments",
    "parse_text_arguments",
    "split_words",
    "take_word",
]


_DAY_WORDS = 4
"""The most words a day takes in words: ``the day after tomorrow``, ``el martes que viene``."""


def _day_phrase(first: str, rest: str) -> tuple[str, str]:
    """A day said in several words (``el próximo martes``, ``mardi prochain``) taken as one
    word of the date-and-time argument, and what follows it.

    Words that start like a day but name none (``next blursday``) are taken too when a time
    follows them, so the refusal names that whole part; otherwise only ``first`` is taken.
    """
    if not starts_day(first):
        return first, rest
    words, rests = [first], [rest]
    while len(words) < _DAY_WORDS:
        if linking_words(rests[-1].split()[:3]):  # "mañana a las 10": the time begins
            break
        word, after = take_word(rests[-1])
        if not word.replace("-", "").replace("'", "").isalpha():
            break
        words.append(word)
        rests.append(after)
    for count in range(len(words), 1, -1):
        if day_word(" ".join(words[:count])) is not None:
            return " ".join(words[:count]), rests[count - 1]
    following, _ = take_word(rests[-1])
    if len(words) > 1 and (clock_time(following) is not None or following[:1].isdigit()):
        return " ".join(words), rests[-1]
    return first, rest


def parse_text_arguments(specs: tuple[ArgSpec, ...], text: str) -> dict[str, Any]:
    """Parse ``text`` (what follows the command) against ``specs``.

    Each argument takes one word (quotes group words), except a last ``TEXT`` argument, which
    takes the rest of the line exactly as typed, and a ``DATETIME``, which takes two words
    (date, time) when the second looks like a time. An optional choice that the word does not
    name is left out and the word offered to the next argument (``/threads #gbv``).
    """
    values: dict[str, Any] = {}
    rest = text.strip()
    skipped: UsageError | None = None
    for index, spec in enumerate(specs):
        is_last = index == len(specs) - 1
        if not rest:
            if spec.required:
                raise UsageError("Missing “{name}”.", name=ArgumentName(spec.name))
            continue
        if spec.kind in (ArgKind.TEXT, ArgKind.MEMBER) and is_last:  # "Lucía Gómez"
            raw, rest = rest, ""
        else:
            raw, rest = take_word(rest)
            if spec.kind is ArgKind.DATETIME and rest:
                raw, rest = _day_phrase(raw, rest)
                raw, rest = _take_time_of_day(raw, rest)
        if spec.kind is ArgKind.CHOICE and not spec.required and not is_last:
            try:
                values[spec.name] = spec.convert(raw)
                skipped = None
            except UsageError as error:  # maybe a later argument's word: /threads #gbv
                skipped = skipped or error
                rest = f"{raw} {rest}".strip() if " " not in raw else f'"{raw}" {rest}'.strip()
            continue
        try:
            values[spec.name] = spec.convert(raw)
        except UsageError:
            if skipped is not None:  # nobody's word: say what the first argument expected
                raise skipped from None
            raise
        skipped = None
    if skipped is not None and rest:
        raise skipped
    if rest:
        raise UsageError("I did not expect “{extra}” here.", extra=rest[:50])
    return values


def _take_time_of_day(day: str, rest: str) -> tuple[str, str]:
    """``day`` with the time of day that starts ``rest`` (``à 14h``, ``a las 10``,
    ``2 p. m.``, ``٢ م``) as ``HH:MM``, and what is left after it; a date or day word keeps
    its linking word's argument (``demain à`` …) so the refusal names the wrong part."""
    words = rest.split()
    hh_mm, used = take_clock(words)
    if hh_mm is not None:
        return f"{day} {hh_mm}", drop_words(rest, used)
    if is_date(day) or day_word(day) is not None:
        linked = linking_words(words)
        clock = words[linked] if linked < len(words) else ""
        if clock[:1].isdigit() or linked:  # "25:00", "à midi": said precisely by wall_time
            return f"{day} {' '.join(words[: linked + 1])}".strip(), drop_words(rest, linked + 1)
    return day, rest


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
                raise UsageError("Missing “{name}”.", name=ArgumentName(spec.name))
            continue
        values[spec.name] = spec.convert(str(raw))
    return values
