"""Every .ics the tests produce, read by two independent parsers and held against the bot.

- **icalendar with recurring_ical_events**, on icalendar's pytz provider: the VTIMEZONE is turned
  into transitions by icalendar's own code (``Timezone.get_transitions``), the series expanded by
  recurring_ical_events;
- **vobject**: the VTIMEZONE read by dateutil's ``tzical``, the series by dateutil's ``rruleset``.

When ``node`` and ``tests/js/node_modules/ical.js`` are there (``.ci/run`` installs it with
npm when it can), **Thunderbird's ical.js** reads every file too (``tests/js/expand_ics.mjs``).

Before parsing, every TZID is renamed (``Europe/Madrid`` → ``Embedded-Europe/Madrid``) so that
neither library can fall back on a time-zone database of its own: what is checked is the
VTIMEZONE the file carries, as Thunderbird, Outlook and the other clients that honour it read
it. The occurrences both parsers find (UTC starts and ends) must be the bot's own
(:func:`bot.features.events.service.occurrences`) and the occurrences its reminders were
computed for, to the minute.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events
import vobject
from sqlalchemy import select

from bot.app import BotApp
from bot.core.messages import Reply
from bot.features.events.calendar import event_uid
from bot.features.events.service import occurrences
from storage.models import Event, OutboxMessage
from storage.statuses import EventStatus

Occurrence = tuple[datetime, datetime]
"""Start and end, in UTC."""
RENAMED = "Embedded-"
ICALJS = Path(__file__).resolve().parents[2] / "js"
_READS = itertools.count(1)
WINDOW = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2032, 1, 1, tzinfo=UTC))


@dataclass
class ParsedCalendar:
    """What the two parsers agreed on."""

    occurrences: dict[str, list[Occurrence]]
    """UID → its occurrences (a cancelled event has none)."""
    status: dict[str, str]
    sequence: dict[str, int]
    method: str
    reminded: dict[str, set[datetime]]
    """UID → the occurrences the bot's pending reminders are for (all among the parsed ones)."""
    readers: list[str]
    """The libraries that read it (and agreed)."""
    calendar: icalendar.Calendar
    """The file as icalendar reads it (TZIDs as written)."""


def ics_of(replies: list[Reply]) -> bytes:
    """The one .ics attached to the bot's replies."""
    attachments = [a for reply in replies for a in reply.attachments]
    assert len(attachments) == 1 and attachments[0].mime_type == "text/calendar"
    return attachments[0].data


def embedded_only(data: bytes) -> str:
    """The file with its lines unfolded and every TZID renamed (see the module docstring).

    Each call renames differently: both libraries keep the first zone they met under a TZID
    for the rest of the process, and each file must be read with its own VTIMEZONEs.
    """
    prefix = f"{RENAMED}{next(_READS)}-"
    text = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    return re.sub(r"(TZID[:=])([^;:\r\n]+)", lambda m: m[1] + prefix + m[2], text)


@contextmanager
def _icalendar_own_timezones() -> Iterator[None]:
    icalendar.use_pytz()
    try:
        yield
    finally:
        icalendar.use_zoneinfo()


def _utc(moment: datetime) -> datetime:
    assert moment.tzinfo is not None, f"floating time {moment} in a calendar"
    return moment.astimezone(UTC)


def _minutes(found: dict[str, list[Occurrence]]) -> dict[str, list[Occurrence]]:
    def cut(moment: datetime) -> datetime:
        return moment.replace(second=0, microsecond=0)

    return {uid: sorted((cut(a), cut(b)) for a, b in items) for uid, items in found.items()}


def with_icalendar(text: str) -> dict[str, list[Occurrence]]:
    found: dict[str, list[Occurrence]] = defaultdict(list)
    with _icalendar_own_timezones():
        calendar = icalendar.Calendar.from_ical(text)
        for tz in calendar.walk("VTIMEZONE"):
            assert isinstance(tz, icalendar.Timezone)
            assert tz.to_tz().zone.startswith(RENAMED)  # built from the file, not looked up
        for item in recurring_ical_events.of(calendar).between(*WINDOW):
            if str(item.get("status", "")).upper() == "CANCELLED":
                continue
            start, end = item.decoded("dtstart"), item.decoded("dtend")
            zone = getattr(start.tzinfo, "zone", "UTC")
            assert zone == "UTC" or zone.startswith(RENAMED), f"{zone} was looked up"
            found[str(item["uid"])].append((_utc(start), _utc(end)))
    return _minutes(found)


def with_vobject(text: str) -> dict[str, list[Occurrence]]:
    found: dict[str, list[Occurrence]] = defaultdict(list)
    calendar = vobject.readOne(text)
    for item in calendar.contents.get("vevent", []):
        if item.getChildValue("status", "").upper() == "CANCELLED":
            continue
        first = item.dtstart.value
        length = _utc(item.dtend.value) - _utc(first)  # RFC 5545: an exact duration
        series = item.getrruleset(addRDate=True)
        starts = series.between(*WINDOW, inc=True) if series else [first]
        for start in starts:
            found[item.uid.value].append((_utc(start), _utc(start) + length))
    return _minutes(found)


def icaljs_available() -> bool:
    return shutil.which("node") is not None and (ICALJS / "node_modules" / "ical.js").is_dir()


def with_icaljs(text: str) -> dict[str, list[Occurrence]]:
    done = subprocess.run(
        ["node", str(ICALJS / "expand_ics.mjs")],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found: dict[str, list[Occurrence]] = defaultdict(list)
    for row in map(json.loads, done.stdout.splitlines()):
        start, end = (datetime.fromisoformat(row[key]).astimezone(UTC) for key in ("start", "end"))
        found[row["uid"]].append((start, end))
    return _minutes(found)


def parse(data: bytes) -> ParsedCalendar:
    """The parsers' reading of ``data``; they must agree with each other."""
    text = embedded_only(data)
    by_icalendar = with_icalendar(text)
    by_vobject = with_vobject(text)
    assert by_icalendar == by_vobject, f"the parsers disagree:\n{by_icalendar}\n{by_vobject}"
    readers = ["icalendar", "vobject"]
    if icaljs_available():
        by_icaljs = with_icaljs(text)
        assert by_icaljs == by_icalendar, f"ical.js disagrees:\n{by_icaljs}\n{by_icalendar}"
        readers.append("ical.js")
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    return ParsedCalendar(
        occurrences=by_icalendar,
        status={str(e["uid"]): str(e["status"]) for e in events},
        # icalendar types a property as any of its value types; SEQUENCE is a vInt
        sequence={str(e["uid"]): int(e["sequence"]) for e in events},  # type: ignore[arg-type]
        method=str(calendar["method"]),
        reminded={},
        readers=readers,
        calendar=calendar,
    )


async def check_calendar(app: BotApp, data: bytes) -> ParsedCalendar:
    """Parse ``data`` with both parsers and hold it against the bot's events and reminders.

    - every event in the file is the bot's, with the bot's occurrences (none when cancelled);
    - every reminder the bot queued for one of them is for an occurrence the parsers found.
    """
    parsed = parse(data)
    async with app.database.unit_of_work() as uow:
        events = {event_uid(event): event for event in await uow.events.all()}
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
    for uid in parsed.status:
        assert uid in events, f"{uid} is no event of the bot"
        event = events[uid]
        expected = _bot_occurrences(event)
        assert parsed.occurrences.get(uid, []) == expected, (
            f"{uid}: the parsers read {parsed.occurrences.get(uid)}, the bot has {expected}"
        )
        found = {start for start, _end in expected}
        parsed.reminded[uid] = set()
        for row in rows:
            reminded = _reminded_occurrence(row, event) if row.status == "pending" else None
            if reminded is not None:
                assert reminded in found, f"reminder {row.idempotency_key} is for no occurrence"
                parsed.reminded[uid].add(reminded)
    return parsed


def _bot_occurrences(event: Event) -> list[Occurrence]:
    if event.status == EventStatus.CANCELLED:
        return []
    length = timedelta(minutes=event.duration_minutes)
    return [(start, start + length) for start in occurrences(event, *WINDOW)]


def _reminded_occurrence(row: OutboxMessage, event: Event) -> datetime | None:
    """The occurrence a reminder row is for: its due time plus its offset (from its key)."""
    parts = row.idempotency_key.split(":")
    if row.kind != "reminder" or parts[:2] != ["rem", str(event.id)]:
        return None
    return row.due_at.astimezone(UTC) + timedelta(minutes=int(parts[-1]))
