"""Reading what admins type about an event: start, link, audience, offsets, free-order details.

Each function checks one kind of value and raises :class:`UsageError` (or
:class:`NotFoundError`) with a clear message, so a bad value changes nothing: the router rolls
the request back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import RemindersConfig
from bot.core.arguments import canonical_timezone, parse_duration, split_words
from bot.core.context import CommandContext
from bot.core.day_words import RelativeDay
from bot.core.errors import NotFoundError, UsageError
from bot.core.i18n import SUPPORTED_LANGUAGES, Plural
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
    folded = value.strip().lower()
    if folded in (EventAudience.ALL, EventAudience.COMMUNITY):
        return folded
    if (
        folded.startswith(REGION_AUDIENCE_PREFIX)
        and folded.removeprefix(REGION_AUDIENCE_PREFIX) in REGION_CODES
    ):
        return folded
    raise UsageError(
        "“{value}” is not an audience. Use all, community or region:<code> ({codes}).",
        value=value[:40],
        codes=", ".join(REGION_CODES),
    )


def minutes_of(values: tuple[timedelta, ...]) -> list[int]:
    return sorted({int(v.total_seconds() // 60) for v in values}, reverse=True)


def parse_offsets(value: str) -> list[int]:
    """Reminder offsets in minutes, bounded like ``/reminders`` (:data:`OFFSETS_ARG`)."""
    return minutes_of(OFFSETS_ARG.convert(value.replace(" ", ",")))


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
    code_ = value.strip().lower()
    if code_ not in SUPPORTED_LANGUAGES:
        raise UsageError(
            "“{value}” is not a language I speak. Choose en, fr, es or ar.", value=value[:20]
        )
    return code_


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
        event.rrule = (
            None if value.strip().lower() in ("none", "no", "once") else parse_repeat(value)
        )
    else:  # pragma: no cover - the registry's choices stop this
        raise UsageError("There is no field “{name}”.", name=field)


async def apply_details(ctx: CommandContext, event: Event, text: str) -> str | None:
    """Read the free-order details of ``/webinar add``; return the zone if one was given."""
    zone: str | None = None
    durations: list[str] = []
    keys = {
        "zone",
        "duration",
        "link",
        "place",
        "reminders",
        "lang",
        "language",
        "audience",
        "speakers",
        "repeat",
        "description",
        "desc",
    }
    for word in split_words(text):
        key, sep, value = word.partition("=")
        if sep and key.lower() in keys:
            key = key.lower()
            if key == "zone":
                zone = require_zone(value)
            else:
                field = {"lang": "language", "desc": "description"}.get(key, key)
                await apply_field(ctx, event, field, value)
        elif canonical_timezone(word) is not None:
            zone = canonical_timezone(word)
        elif looks_like_zone(word):  # UTC+3, EST: explain which zones they may mean
            raise refusal(word)
        elif word.startswith(("https://", "http://")):
            event.link, event.place = check_link(word), None
        elif word.lower().split(":")[0] in ("weekly", "biweekly", "monthly"):
            event.rrule = parse_repeat(word)
        elif word[:1].isdigit():
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
