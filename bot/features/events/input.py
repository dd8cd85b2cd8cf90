"""Reading what admins type about an event: start, link, audience, offsets, free-order details.

Each function checks one kind of value and raises :class:`UsageError` (or
:class:`NotFoundError`) with a clear message, so a bad value changes nothing: the router rolls
the request back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import RemindersConfig
from bot.core.arguments import (
    ArgKind,
    ArgSpec,
    canonical_timezone,
    parse_duration,
    split_words,
)
from bot.core.context import CommandContext
from bot.core.day_words import RelativeDay
from bot.core.durations import duration_items, duration_minutes
from bot.core.errors import NotFoundError, UsageError
from bot.core.i18n import Plural
from bot.core.keywords import WordList, ascii_digits, key_named
from bot.core.sanitize import clean_name
from bot.core.timezones import looks_like_zone, refusal, require_zone
from bot.core.vocab import REGION_CODES
from bot.features.events.commands import OFFSETS_ARG
from bot.features.events.service import parse_repeat
from bot.features.profiles.lookup import find_member, roster_scope
from storage.models import Event
from storage.statuses import REGION_AUDIENCE_PREFIX, EventAudience

EDIT_FIELDS = (
    "title", "description", "link", "place", "duration", "language", "audience", "speakers",
    "reminders", "repeat",
)  # fmt: skip


def aware_start(ctx: CommandContext, wall: datetime | RelativeDay, zone: str) -> datetime:
    """The instant of wall-clock ``wall`` in ``zone``; refuse times that do not exist there.
    A day named in words (``tomorrow 10:00``) is counted from today's date in ``zone``."""
    if isinstance(wall, RelativeDay):
        wall = wall.on(ctx.now.astimezone(ZoneInfo(zone)).date())
    local = wall.replace(tzinfo=ZoneInfo(zone))
    moment = local.astimezone(ZoneInfo("UTC"))
    if moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != wall:
        raise UsageError(
            "{time} does not exist in {zone} (the clocks change then). Choose another time.",
            time=wall,  # naive: written as a wall-clock date and time by the translator
            zone=zone,
        )
    if moment <= ctx.now:
        raise UsageError("That time is in the past. Give a future date and time.")
    return moment


def check_link(value: str) -> str:
    spaced = any(char.isspace() for char in value)  # a slash option may hold a line break
    if not value.startswith(("https://", "http://")) or len(value) > 500 or spaced:
        raise UsageError(
            "“{value}” is not a web link (it should start with https://).", value=value[:60]
        )
    return value


def check_audience(value: str) -> str:
    """``all``, ``community`` or ``region:<code>``, typed in any language (``tous``,
    ``todos``, ``الجميع``, ``communauté``, ``région:latam``)."""
    folded = value.strip().strip("\"'").lower()
    if key_named(folded, ("all",)) or key_named(folded, ("everyone",)):
        return EventAudience.ALL
    if key_named(folded, (EventAudience.COMMUNITY,)):
        return EventAudience.COMMUNITY
    prefix, colon, code_ = folded.partition(":")
    if colon and key_named(prefix, ("region",)) and code_ in REGION_CODES:
        return f"{REGION_AUDIENCE_PREFIX}{code_}"
    raise UsageError(
        "“{value}” is not an audience. Use {everyone}, {community} or {region}:<code> ({codes}).",
        value=value[:40],
        everyone=WordList(("everyone",)),
        community=WordList(("community",)),
        region=WordList(("region",)),
        codes=", ".join(REGION_CODES),
    )


def minutes_of(values: tuple[timedelta, ...]) -> list[int]:
    return sorted({int(v.total_seconds() // 60) for v in values}, reverse=True)


def parse_offsets(value: str) -> list[int]:
    """Reminder offsets in minutes, bounded like ``/reminders`` (:data:`OFFSETS_ARG`), in any
    language (``2j,1h``, ``2 días, 1 hora``)."""
    return minutes_of(OFFSETS_ARG.convert(value))


REPEATS = ("weekly", "biweekly", "monthly")
NO_REPEAT = ("none", "no", "once")


def repeat_word(word: str) -> str | None:
    """``hebdomadaire:4``, ``semanal``, ``شهري`` → ``weekly:4``, ``weekly``, ``monthly``;
    ``None`` when the word names no repetition."""
    kind, colon, count = word.strip().strip("\"'").partition(":")
    named = key_named(kind, REPEATS)
    return None if named is None else named + (colon + ascii_digits(count) if colon else "")


def parse_repeat_typed(value: str) -> str | None:
    """A repetition in any language, or ``None`` for none (``aucune``, ``ninguna``)."""
    if key_named(value.strip().strip("\"'"), NO_REPEAT) is not None:
        return None
    return parse_repeat(repeat_word(value) or value)


async def find_speakers(ctx: CommandContext, value: str) -> tuple[list[int], list[str]]:
    """The speakers named in ``value`` (comma-separated): members, found like in every command
    (a name that could be several members asks which one), and, for a name that is no
    member's, a guest speaker kept as typed (one line, at most 100 characters)."""
    ids: list[int] = []
    guests: list[str] = []
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        try:
            found = await find_member(ctx.uow, name, roster_scope(ctx), ctx.translator)
        except NotFoundError:
            if name.startswith("#"):
                raise  # a member number that is none of theirs is a mistake, not a guest
            guests.append(clean(clean_name(name.lstrip("@")), 100))
            continue
        ids.append(found.id)
    return list(dict.fromkeys(ids)), list(dict.fromkeys(guests))


def check_language(value: str) -> str:
    """``fr``, ``espagnol``, ``inglés``, ``العربية``: the language argument's reading."""
    return str(ArgSpec("language", ArgKind.LANGUAGE, "").convert(value.strip().strip("\"'")))


def clean(value: str, limit: int) -> str:
    text = value.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if not text:
        raise UsageError("This cannot be empty.")
    if len(text) > limit:
        raise UsageError(
            Plural(
                "That is too long: {count} character, at most {limit}.",
                "That is too long: {count} characters, at most {limit}.",
                len(text),
            ),
            limit=limit,
        )
    return text


def clean_title(value: str) -> str:
    """An event's title: one line without invisible formatting (``clean_name``), quotes off."""
    return clean(clean_name(value), 200)


async def apply_field(ctx: CommandContext, event: Event, field: str, value: str) -> None:
    """Set one field from text, with the same checks as ``/webinar add``."""
    if field == "title":
        event.title = clean_title(value)
    elif field == "description":
        event.description = clean(value, 2000)
    elif field == "link":
        event.link, event.place = check_link(value), None
    elif field == "place":
        event.place, event.link = clean(value, 300), None
    elif field == "duration":
        event.duration_minutes = minutes_of((parse_duration(value),))[0]
    elif field == "language":
        event.language = check_language(value)
    elif field == "audience":
        event.audience = check_audience(value)
    elif field == "speakers":
        event.speakers, event.guest_speakers = await find_speakers(ctx, value)
    elif field == "reminders":
        event.offsets = parse_offsets(value)
    elif field == "repeat":
        event.rrule = parse_repeat_typed(value)
    else:  # pragma: no cover - the registry's choices stop this
        raise UsageError("There is no field “{name}”.", name=field)


DETAIL_KEYS = ("zone", *EDIT_FIELDS)
_SHORT_KEYS = {"lang": "language", "desc": "description"}


def _detail_key(typed: str) -> str | None:
    """The field a ``key=`` names, in any language (``langue``, ``lieu``, ``durée``)."""
    folded = typed.strip().casefold()
    return _SHORT_KEYS.get(folded) or key_named(folded, DETAIL_KEYS)


def _is_durations(word: str) -> bool:
    """One duration or a list of them in words (``ساعتان``, ``يوم،ساعة``)."""
    return all(duration_minutes(item) is not None for item in duration_items(word))


def _joined_durations(words: list[str]) -> list[str]:
    """A number followed by its unit word is one duration: ``2 días`` → ``2 días``."""
    joined: list[str] = []
    for word in words:
        if joined and ascii_digits(joined[-1]).isdecimal():
            together = f"{joined[-1]} {word}"
            if duration_minutes(together.rstrip(",،")) is not None:
                joined[-1] = together
                continue
        joined.append(word)
    return joined


async def apply_details(ctx: CommandContext, event: Event, text: str) -> str | None:
    """Read the free-order details of ``/webinar add``; return the zone if one was given."""
    zone: str | None = None
    durations: list[str] = []
    for word in _joined_durations(split_words(text)):
        key, sep, value = word.partition("=")
        field = _detail_key(key) if sep else None
        if field == "zone":
            zone = require_zone(value)
        elif field is not None:
            await apply_field(ctx, event, field, value)
        elif canonical_timezone(word) is not None:
            zone = canonical_timezone(word)
        elif looks_like_zone(word):  # UTC+3, EST: explain which zones they may mean
            raise refusal(word)
        elif word.startswith(("https://", "http://")):
            event.link, event.place = check_link(word), None
        elif repeat_word(word) is not None:
            event.rrule = parse_repeat_typed(word)
        elif word[:1].isdigit() or _is_durations(word):
            durations.append(word)
        else:
            raise UsageError("I did not understand “{word}”.", word=word[:60])
    for index, word in enumerate(durations):
        # The first lone duration is the length; a comma list (or a second one) the reminders.
        if "," in word or index > 0:
            event.offsets = parse_offsets(word)
        else:
            event.duration_minutes = minutes_of((parse_duration(word),))[0]
    return zone


def default_offsets(ctx: CommandContext) -> list[int]:
    offsets = ctx.services[RemindersConfig].default_offsets
    return minutes_of(tuple(parse_duration(v) for v in offsets))
