"""Calendars that real clients read right: time zones, clock changes, cancellations, revisions.

Every .ics here goes through :func:`tests.features.events.calendars.check_calendar`: two
independent parsers read it with only its own VTIMEZONEs, and their occurrences must be the
bot's occurrences and the ones its reminders were computed for, to the minute.
"""

from __future__ import annotations

import io
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from dateutil import tz
from icalendar import Calendar, Timezone
from icalendar.timezone.pytz import PYTZ

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.events.tzrules import zone_rules
from bot.features.events.vtimezone import vtimezone
from tests.features.events.calendars import (
    ParsedCalendar,
    check_calendar,
    icaljs_available,
    ics_of,
)
from tests.features.events.fakes import wire
from tests.helpers import say, texts

ZONES = [
    "Europe/Madrid",
    "America/Bogota",
    "Africa/Tunis",
    "Asia/Amman",  # summer time all year since October 2022
    "America/New_York",
    "Australia/Sydney",
    "America/Mexico_City",  # no more summer time since October 2022
    "Africa/Cairo",  # summer time again since 2023, ending on a day no RRULE names
    "America/Nuuk",  # new rules in 2023; changes at -1:00, the Saturday before
    "Asia/Almaty",  # moved from +06 to +05 in March 2024
]
SEASONS = [
    # (clock when the series is added, first session, sessions): each spans its changes
    (datetime(2027, 2, 25, 9, tzinfo=UTC), "2027-03-04 10:00", 10),  # March, April (Sydney)
    (datetime(2027, 9, 20, 9, tzinfo=UTC), "2027-09-23 10:00", 8),  # October, November
]


async def calendar_of(app: BotApp, name: str, command: str = "/calendar") -> ParsedCalendar:
    return await check_calendar(app, ics_of(await say(app, name, command)))


def utc_hours(parsed: ParsedCalendar, uid: str) -> set[int]:
    return {start.hour for start, _end in parsed.occurrences[uid]}


@pytest.mark.parametrize("zone", ZONES)
async def test_weekly_series_across_the_clock_changes_read_right_by_two_parsers(
    app: BotApp, clock: ManualClock, zone: str
) -> None:
    uids = []
    for number, (now, start, count) in enumerate(SEASONS, start=1):
        clock.set(now)
        await say(app, "sofia", f'/webinar add "Season {number}" {start} {zone} weekly:{count} 1h')
        await say(app, "lucia", f"/rsvp {number}")
        parsed = await calendar_of(app, "lucia")
        (uid,) = [uid for uid in parsed.occurrences if uid.startswith(f"event-{number}-")]
        uids.append(uid)
        assert len(parsed.occurrences[uid]) == count
        assert parsed.reminded[uid], "the reminders were held against the parsed occurrences"
        assert parsed.reminded[uid] <= {start for start, _ in parsed.occurrences[uid]}
    changes = [
        t
        for t in zone_rules(zone).transitions(datetime(2028, 1, 1, tzinfo=UTC))
        if t.at.year == 2027 and t.before.offset != t.after.offset
    ]
    if changes:  # the UTC hour moves with the clocks, and both parsers saw it move
        assert len(utc_hours(parsed, uids[0]) | utc_hours(parsed, uids[1])) >= 2


@pytest.mark.parametrize(
    ("zone", "start", "utc_hours_by_year"),
    [
        # summer time all year from October 2022
        ("Asia/Amman", "2021-09-02 10:00", {2021: {7, 8}, 2023: {7}, 2027: {7}}),
        # no more summer time from October 2022
        ("America/Mexico_City", "2021-09-02 10:00", {2021: {15, 16}, 2023: {16}, 2027: {16}}),
        # from +06 to +05 on 1 March 2024
        ("Asia/Almaty", "2023-09-07 10:00", {2023: {4}, 2024: {4, 5}, 2027: {5}}),
    ],
)
async def test_a_series_older_than_a_rule_change_keeps_both_rules(
    app: BotApp, clock: ManualClock, zone: str, start: str, utc_hours_by_year: dict[int, set[int]]
) -> None:
    """A series running since before the change needs the old changes and the new rule in one
    VTIMEZONE; it runs on, with no end, past the last change zoneinfo lists."""
    clock.set(datetime.fromisoformat(start).replace(tzinfo=UTC) - timedelta(days=2))
    await say(app, "sofia", f'/webinar add "Long" {start} {zone} weekly 1h')
    await say(app, "lucia", "/rsvp 1")
    clock.set(datetime(2027, 3, 1, 9, tzinfo=UTC))
    parsed = await calendar_of(app, "lucia")
    (uid,) = parsed.occurrences
    hours: dict[int, set[int]] = {}
    for moment, _end in parsed.occurrences[uid]:
        hours.setdefault(moment.year, set()).add(moment.hour)
    assert {year: hours[year] for year in utc_hours_by_year} == utc_hours_by_year


async def test_thunderbirds_ical_js_is_a_third_reader_when_installed(app: BotApp) -> None:
    if not icaljs_available():
        pytest.skip("node or tests/js/node_modules/ical.js missing (npm ci --prefix tests/js)")
    await say(app, "sofia", '/webinar add "S" 2027-03-04 10:00 America/Nuuk weekly:10 1h')
    await say(app, "lucia", "/rsvp 1")
    assert (await calendar_of(app, "lucia")).readers == ["icalendar", "vobject", "ical.js"]


async def test_an_event_across_a_clock_change_lasts_its_real_minutes(app: BotApp) -> None:
    await say(app, "sofia", '/webinar add "Night A" 2027-03-28 01:30 Europe/Madrid 120m')
    await say(app, "sofia", '/webinar add "Night B" 2027-10-31 01:30 Europe/Madrid 120m')
    await say(app, "lucia", "/rsvp 1")
    await say(app, "lucia", "/rsvp 2")
    parsed = await calendar_of(app, "lucia")
    spans = sorted(parsed.occurrences.values())
    assert [end - start for ((start, end),) in spans] == [timedelta(minutes=120)] * 2
    assert spans[0][0][0] == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    # to_ical() gives bytes for a vDDDTypes (icalendar types it as bytes or str)
    ends = [str(e["dtend"].to_ical().decode()) for e in parsed.calendar.walk("VEVENT")]  # type: ignore[union-attr]
    # 04:30 CEST; the second 02:30 of the night (CET) is written in UTC, a wall 02:30 is the first
    assert ends == ["20270328T043000", "20271031T013000Z"]


async def test_cancelling_one_date_tells_attendees_and_writes_an_exdate(
    app: BotApp, clock: ManualClock
) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "Toolkit" 2026-12-03 10:00 Europe/Madrid weekly:4 1h')
    await say(app, "lucia", "/rsvp 1")
    await say(app, "amina", "/rsvp 1")
    await say(app, "amina", "/language fr")
    before = await calendar_of(app, "lucia", "/ics 1")
    (uid,) = before.occurrences
    replies = await say(app, "sofia", "/webinar cancel 1 2026-12-10")
    assert "2 attendees were told" in texts(replies)
    await dispatcher.run_due()
    notice = messenger.to("lucia")[-1].text
    assert "is cancelled" in notice and "Thu, 10 Dec 2026" in notice
    assert "10 déc. 2026" in messenger.to("amina")[-1].text  # in her language
    after = await calendar_of(app, "lucia", "/ics 1")
    assert after.occurrences[uid] == [o for o in before.occurrences[uid] if o[0].day != 10]
    assert after.reminded[uid] == {start for start, _ in after.occurrences[uid]}
    (event,) = after.calendar.walk("VEVENT")
    assert event["exdate"].to_ical() == b"20261210T100000"
    assert event["exdate"].params["TZID"] == "Europe/Madrid"
    assert (after.sequence[uid], str(event["uid"])) == (before.sequence[uid] + 1, uid)
    for typed, expected in [
        ("2026-12-10", "already cancelled"),
        ("2026-12-11", "has no session on Fri, 11 Dec 2026"),
        ("10-12-2026", "is not a date"),
    ]:
        assert expected in texts(await say(app, "sofia", f"/webinar cancel 1 {typed}"))
    clock.set(datetime(2026, 12, 17, 9, 30, tzinfo=UTC))
    assert "already started" in texts(await say(app, "sofia", "/webinar cancel 1 2026-12-17"))
    await say(app, "sofia", '/webinar add "Once" 2026-12-20 10:00 UTC')
    assert "not a series" in texts(await say(app, "sofia", "/webinar cancel 2 2026-12-20"))


async def test_calendar_keeps_cancelled_events_so_a_reimport_cancels_them(app: BotApp) -> None:
    await say(app, "sofia", '/webinar add "Kept" 2026-12-01 10:00 Africa/Tunis')
    await say(app, "sofia", '/webinar add "Dropped" 2026-12-02 10:00 Africa/Tunis')
    await say(app, "lucia", "/rsvp 1")
    await say(app, "lucia", "/rsvp 2")
    first = await calendar_of(app, "lucia")
    await say(app, "sofia", "/webinar cancel 2")
    second = await calendar_of(app, "lucia")
    assert second.method == first.method == "PUBLISH"
    assert set(second.status) == set(first.status)  # same UIDs
    dropped = next(uid for uid in first.status if uid.startswith("event-2-"))
    assert second.status[dropped] == "CANCELLED" and second.occurrences.get(dropped) is None
    assert second.sequence[dropped] == first.sequence[dropped] + 1


async def test_sequence_starts_at_zero_and_grows_with_each_change(app: BotApp) -> None:
    await say(app, "sofia", '/webinar add "Revised" 2026-12-01 10:00 America/New_York')
    await say(app, "lucia", "/rsvp 1")
    sequences = [next(iter((await calendar_of(app, "lucia")).sequence.values()))]
    await say(app, "sofia", "/webinar edit 1 title Revised twice")
    sequences.append(next(iter((await calendar_of(app, "lucia")).sequence.values())))
    await say(app, "sofia", "/webinar reschedule 1 2026-12-02 11:00")
    sequences.append(next(iter((await calendar_of(app, "lucia")).sequence.values())))
    assert sequences == [0, 1, 2]


Mismatch = tuple[datetime, timedelta | None, timedelta | None, timedelta | None]


def _offsets_by_parsers(key: str, text: str, moments: list[datetime]) -> list[Mismatch]:
    """(wall time, zoneinfo's offset, dateutil's, icalendar's) wherever a parser differs."""
    by_dateutil = tz.tzical(io.StringIO(text)).get()
    component = Calendar.from_ical(text).walk("VTIMEZONE")[0]
    assert isinstance(component, Timezone)
    by_icalendar = PYTZ().create_timezone(component)  # icalendar's own reading, not dateutil's
    zone = zoneinfo.ZoneInfo(key)
    wrong: list[Mismatch] = []
    for moment in moments:
        wall = moment.astimezone(zone).replace(tzinfo=None)
        want = wall.replace(tzinfo=zone).utcoffset()
        if want != wall.replace(tzinfo=zone, fold=1).utcoffset():
            continue  # an hour that happens twice or never: clients may choose
        first = wall.replace(tzinfo=by_dateutil).utcoffset()
        second = by_icalendar.localize(wall).utcoffset()  # type: ignore[attr-defined]  # a pytz zone
        if (first, second) != (want, want):
            wrong.append((wall, want, first, second))
    return wrong


def test_every_zone_is_written_so_that_parsers_agree_with_zoneinfo() -> None:
    """Every zone zoneinfo knows, from 2026 to 2029: dateutil and icalendar each read the
    VTIMEZONE as zoneinfo reads the zone, a day and three hours around every change and on
    40 days spread over the years."""
    first, last = datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 12, 31, tzinfo=UTC)
    wrong = {}
    for key in sorted(zoneinfo.available_timezones()):
        text = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            + vtimezone(key, first, last).to_ical()
            + b"END:VCALENDAR\r\n"
        ).decode()
        moments = [first + timedelta(days=36 * n, hours=n % 24) for n in range(40)]
        for change in zone_rules(key).transitions(last):
            if first <= change.at <= last:
                moments += [change.at + timedelta(hours=h) for h in (-25, -3, 3, 25)]
        found = _offsets_by_parsers(key, text, moments)
        if found:
            wrong[key] = found[:3]
    assert wrong == {}
