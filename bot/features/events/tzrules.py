"""A time zone's transitions and current rule, read from the same TZif file ``zoneinfo`` uses.

Calendar clients that honour a file's VTIMEZONE (Thunderbird's ical.js, dateutil, vobject,
Outlook) read it best in the conventional form that tzurl.org publishes: past transitions as
single onsets and the rule in force as a yearly RRULE (``BYMONTH=3;BYDAY=-1SU``). That rule is
the POSIX TZ string at the end of every TZif file (RFC 8536, section 3.3), so reading the file
ourselves gives both the history and the rule, exactly as ``zoneinfo`` applies them.
"""

from __future__ import annotations

import re
import struct
import zoneinfo
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
"""POSIX numbers weekdays from Sunday (0); iCalendar names them."""


@dataclass(frozen=True)
class Observance:
    """One kind of local time: its offset east of UTC, whether it is summer time, its name."""

    offset: timedelta
    is_dst: bool
    name: str


@dataclass(frozen=True)
class Transition:
    """At ``at`` (UTC) the zone's local time changes from ``before`` to ``after``."""

    at: datetime
    before: Observance
    after: Observance

    @property
    def local_onset(self) -> datetime:
        """The onset as iCalendar writes it: naive wall time in the offset before it."""
        return (self.at + self.before.offset).replace(tzinfo=None)


@dataclass(frozen=True)
class DayRule:
    """A POSIX transition day and time: ``Mm.w.d``, ``Jn`` (no Feb 29) or ``n`` (from 0)."""

    form: str
    """``M``, ``J`` or ``n``."""
    month: int = 0
    week: int = 0
    weekday: int = 0
    day: int = 0
    time: timedelta = timedelta(hours=2)
    """Local time of the change, in the time in force before it (may be <0 or ≥24 h)."""

    def date_in(self, year: int) -> date:
        if self.form == "J":
            leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            return date(year, 1, 1) + timedelta(days=self.day - 1 + (leap and self.day >= 60))
        if self.form == "n":
            return date(year, 1, 1) + timedelta(days=self.day)
        first = date(year, self.month, 1)
        found = first + timedelta(days=(self.weekday - (first.isoweekday() % 7)) % 7)
        found += timedelta(weeks=self.week - 1)
        while found.month != self.month:  # week 5 means the last one
            found -= timedelta(weeks=1)
        return found

    def moment_in(self, year: int, offset_before: timedelta) -> datetime:
        """The change in ``year`` as a UTC instant."""
        local = datetime.combine(self.date_in(year), datetime.min.time()) + self.time
        return (local - offset_before).replace(tzinfo=UTC)

    def rrule(self) -> dict[str, object] | None:
        """The yearly iCalendar rule for the *onset dates* (times of day are in DTSTART), or
        None when it has no conventional form (Julian days, a change that leaves the month)."""
        if self.form != "M":
            return None
        shift = self.time // timedelta(days=1)  # 50:00 is two days later at 02:00
        weekday = WEEKDAYS[(self.weekday + shift) % 7]
        if shift == 0:
            position = -1 if self.week == 5 else self.week
            return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": f"{position}{weekday}"}
        length = monthrange(2001, self.month)[1]
        if self.week == 5:  # the last seven days, moved; counted from the 1st, as ical.js
            if self.month == 2:  # (Thunderbird) misreads negative days: February's length varies
                return None
            days = [length + 1 + day + shift for day in range(-7, 0)]
        else:
            days = [7 * (self.week - 1) + day + shift for day in range(1, 8)]
        if min(days) < 1 or max(days) > length:  # the change leaves the month
            return None
        return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": weekday, "BYMONTHDAY": days}


@dataclass(frozen=True)
class CurrentRule:
    """The POSIX TZ string of a TZif footer: the rule after the last listed transition."""

    standard: Observance
    summer: Observance | None = None
    starts: DayRule | None = None
    ends: DayRule | None = None

    def transitions(self, year: int) -> list[Transition]:
        if self.summer is None or self.starts is None or self.ends is None:
            return []
        standard, summer = self.standard, self.summer
        found = [
            Transition(self.starts.moment_in(year, standard.offset), standard, summer),
            Transition(self.ends.moment_in(year, summer.offset), summer, standard),
        ]
        return sorted(found, key=lambda t: t.at)


@dataclass(frozen=True)
class ZoneRules:
    """Everything a VTIMEZONE needs about one zone."""

    key: str
    initial: Observance
    """In force before the first transition."""
    listed: tuple[Transition, ...]
    """The transitions the TZif file lists, oldest first."""
    current: CurrentRule | None

    def transitions(self, until: datetime) -> list[Transition]:
        """Listed transitions, then the current rule's, up to ``until`` (UTC)."""
        found = list(self.listed)
        if self.current is not None and self.current.summer is not None:
            after = found[-1].at if found else datetime.min.replace(tzinfo=UTC)
            for year in range(max(after.year, 1970), until.year + 1):
                found += [t for t in self.current.transitions(year) if after < t.at <= until]
        return [t for t in found if t.at <= until]


def tzif_bytes(key: str) -> bytes:
    """The TZif file of ``key`` from where ``zoneinfo`` looks: ``TZPATH``, then ``tzdata``."""
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / key
        if path.is_file():
            return path.read_bytes()
    package, _, name = f"tzdata.zoneinfo.{key}".replace("/", ".").rpartition(".")
    return resources.files(package).joinpath(name).read_bytes()


@cache
def zone_rules(key: str) -> ZoneRules:
    """Read ``key``'s TZif file (RFC 8536; the version 2+ block, 64-bit times)."""
    data = tzif_bytes(key)
    if data[:4] != b"TZif":
        raise ValueError(f"{key}: not a TZif file")
    counts = struct.unpack(">6l", data[20:44])
    body, time_size = 44, 4
    if data[4:5] >= b"2":  # skip the 32-bit block: the 64-bit one and the footer follow
        body += _block_size(counts, time_size=4) + 44
        counts = struct.unpack(">6l", data[body - 24 : body])
        time_size = 8
    _isutcnt, _isstdcnt, _leapcnt, timecnt, typecnt, charcnt = counts
    time_format = f">{timecnt}{'q' if time_size == 8 else 'l'}"
    times = struct.unpack(time_format, data[body : body + timecnt * time_size])
    cursor = body + timecnt * time_size
    indices = data[cursor : cursor + timecnt]
    cursor += timecnt
    names = data[cursor + 6 * typecnt : cursor + 6 * typecnt + charcnt]
    kinds = []
    for number in range(typecnt):
        offset, is_dst, name_at = struct.unpack(">lBB", data[cursor + 6 * number :][:6])
        name = names[name_at:].split(b"\0", 1)[0].decode()
        kinds.append(Observance(timedelta(seconds=offset), bool(is_dst), name))
    end = body + _block_size(counts, time_size)
    footer = data[end:].strip(b"\n").decode() if time_size == 8 else ""
    listed: list[Transition] = []
    before = kinds[0]
    for moment, index in zip(times, indices, strict=True):
        after = kinds[index]
        if after != before:
            listed.append(Transition(datetime.fromtimestamp(moment, UTC), before, after))
        before = after
    return ZoneRules(key, kinds[0], tuple(listed), parse_posix(footer) if footer else None)


def _block_size(counts: tuple[int, ...], time_size: int) -> int:
    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts
    return (
        timecnt * (time_size + 1)
        + typecnt * 6
        + charcnt
        + leapcnt * (time_size + 4)
        + isstdcnt
        + isutcnt
    )


_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?\d{1,3}(?::\d{2}){0,2})"
_DAY = r"(M\d{1,2}\.\d\.\d|J\d{1,3}|\d{1,3})(?:/" + _OFFSET + ")?"
_POSIX = re.compile(rf"^{_NAME}{_OFFSET}(?:{_NAME}{_OFFSET}?,{_DAY},{_DAY})?$")


def _seconds(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    hours, minutes, seconds = (*parts, 0, 0)[:3]
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


def _day(text: str, time: str | None) -> DayRule:
    at = _seconds(time) if time else timedelta(hours=2)
    if text.startswith("M"):
        month, week, weekday = (int(part) for part in text[1:].split("."))
        return DayRule("M", month=month, week=week, weekday=weekday, time=at)
    if text.startswith("J"):
        return DayRule("J", day=int(text[1:]), time=at)
    return DayRule("n", day=int(text), time=at)


def parse_posix(text: str) -> CurrentRule | None:
    """``CET-1CEST,M3.5.0,M10.5.0/3`` → the rule (POSIX offsets count west, hence the sign)."""
    match = _POSIX.match(text)
    if match is None:
        return None
    std_name, std_offset, dst_name, dst_offset, start, start_at, end, end_at = match.groups()
    standard = Observance(-_seconds(std_offset), False, std_name.strip("<>"))
    if dst_name is None:
        return CurrentRule(standard)
    summer_offset = -_seconds(dst_offset) if dst_offset else standard.offset + timedelta(hours=1)
    summer = Observance(summer_offset, True, dst_name.strip("<>"))
    return CurrentRule(standard, summer, _day(start, start_at), _day(end, end_at))
