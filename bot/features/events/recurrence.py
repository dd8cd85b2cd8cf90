"""A series' repetition said in words, and its next dates, for one reader.

The bot creates three rules (:func:`bot.features.events.service.parse_repeat`): weekly,
every other week and monthly, each with an optional count. They are said as whole sentences
in the reader's language ("Weekly on Tuesday, 3 sessions", "Cada semana, el martes, 3
sesiones"); the weekday or the day of the month is the one the *reader* sees, in their zone.
Any other rule (an imported calendar's, an older row's) gets a generic sentence: the raw RRULE
is never shown.

The next dates are computed in the event's zone (a weekly 10:00 Paris session stays at 10:00
Paris) and shown in the reader's zone, so a member elsewhere sees a session move by an hour
when only the organiser's country changes its clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bot.core.dates import weekday_name
from bot.core.i18n import N_, Translator
from storage.models import Event

NEXT_DATES = 3
"""How many dates a series card lists."""

# One sentence per rule and ending, so each language words it whole (no glued fragments).
# A number of sessions is a plural message (``_counted``); a single session has its own words.
_SENTENCES: dict[str, dict[str, str]] = {
    "weekly": {
        "": N_("Weekly on {weekday}"),
        "once": N_("Weekly on {weekday}, a single session"),
        "until": N_("Weekly on {weekday}, until {date}"),
    },
    "biweekly": {
        "": N_("Every other week on {weekday}"),
        "once": N_("Every other week on {weekday}, a single session"),
        "until": N_("Every other week on {weekday}, until {date}"),
    },
    "monthly": {
        "": N_("Monthly on day {day}"),
        "once": N_("Monthly on day {day}, a single session"),
        "until": N_("Monthly on day {day}, until {date}"),
    },
}
_GENERIC = N_("Repeats on a schedule set by the organisers")
_NEXT_DATES = N_("Next sessions ({zone}):")


@dataclass(frozen=True)
class Rule:
    """The parts of an RRULE the bot can say: its kind, and how it ends."""

    kind: str | None
    count: int | None = None
    until: datetime | None = None


def read_rule(rrule: str) -> Rule:
    """The bot's own rules by kind; anything else (BYDAY lists, DAILY, …) has no kind."""
    parts: dict[str, str] = {}
    for item in rrule.upper().removeprefix("RRULE:").split(";"):
        key, _sep, value = item.partition("=")
        parts[key.strip()] = value.strip()
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    count, until = parts.pop("COUNT", None), parts.pop("UNTIL", None)
    parts.pop("WKST", None)
    kind = {("WEEKLY", "1"): "weekly", ("WEEKLY", "2"): "biweekly", ("MONTHLY", "1"): "monthly"}
    found = kind.get((freq, interval))
    if parts or found is None or (count and until):
        return Rule(None)
    try:
        return Rule(found, int(count) if count else None, _until(until) if until else None)
    except ValueError:
        return Rule(None)


def _until(value: str) -> datetime:
    """An RRULE ``UNTIL`` (``20261231`` or ``20261231T230000Z``) as an instant."""
    if "T" in value:
        return datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)


def repeat_text(event: Event, moment: datetime, zone: str, translator: Translator) -> str:
    """How the series repeats, for a reader in ``zone`` (``moment``: an occurrence they see)."""
    rule = read_rule(event.rrule or "")
    if rule.kind is None:
        return translator.gettext(_GENERIC)
    sentences = _SENTENCES[rule.kind]
    local = moment.astimezone(ZoneInfo(zone))
    values: dict[str, object] = {
        "weekday": weekday_name(local.weekday(), translator.language),
        "day": local.day,
    }
    if rule.until is not None:
        return translator.gettext(
            sentences["until"], date=translator.format_date(rule.until, event.timezone), **values
        )
    if rule.count == 1:
        return translator.gettext(sentences["once"], **values)
    if rule.count is not None:
        return _counted(rule.kind, rule.count, translator, values)
    return translator.gettext(sentences[""], **values)


def _counted(kind: str, count: int, translator: Translator, values: dict[str, object]) -> str:
    """A series of ``count`` sessions, in the form the reader's language gives that number."""
    if kind == "weekly":
        return translator.ngettext(
            "Weekly on {weekday}, {count} session",
            "Weekly on {weekday}, {count} sessions",
            count,
            **values,
        )
    if kind == "biweekly":
        return translator.ngettext(
            "Every other week on {weekday}, {count} session",
            "Every other week on {weekday}, {count} sessions",
            count,
            **values,
        )
    return translator.ngettext(
        "Monthly on day {day}, {count} session",
        "Monthly on day {day}, {count} sessions",
        count,
        **values,
    )


def upcoming(event: Event, since: datetime, count: int = NEXT_DATES) -> list[datetime]:
    """The starts (UTC) of the next ``count`` occurrences from ``since`` on (included),
    computed in the event's zone; cancelled dates are skipped."""
    if not event.rrule:
        return [event.starts_at] if event.starts_at >= since else []
    zone = ZoneInfo(event.timezone)
    start = event.starts_at.astimezone(zone).replace(tzinfo=None)
    rule = rrulestr(event.rrule, dtstart=start)
    skipped = set(event.cancelled_dates or ())
    cursor = since.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    found: list[datetime] = []
    while len(found) < count and (local := rule.after(cursor, inc=False)) is not None:
        cursor = local
        moment = local.replace(tzinfo=zone).astimezone(UTC)
        if local.date().isoformat() not in skipped and moment >= since:
            found.append(moment)
    return found


def next_dates_lines(
    event: Event, moment: datetime, zone: str, translator: Translator
) -> list[str]:
    """A heading and the next dates from ``moment`` on, each in the reader's zone."""
    dates = upcoming(event, moment)
    if len(dates) < 2:  # the card's own date says it all
        return []
    heading = translator.gettext(_NEXT_DATES, zone=translator.zone_label(zone))
    return [heading, *(translator.format_datetime(d, zone, show_zone=False) for d in dates)]
