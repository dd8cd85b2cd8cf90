"""Event commands: calendars, feedback, deep links, linked chats, and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Reply, Request, RequestKind
from bot.core.ports import MirroredEvent
from bot.delivery.dispatcher import Dispatcher, DispatchScheduler
from bot.features.events.mirror import mirror_events
from storage.models import Event, EventFeedback, OutboxMessage, Rsvp
from tests.conftest import make_settings
from tests.features.events.calendars import check_calendar, ics_of
from tests.features.events.fakes import RecordingMessenger, wire
from tests.helpers import actor, eventually, private, say, texts

if TYPE_CHECKING:
    from storage.repositories.members import MemberScope

ADD = '/webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid 90m https://x.org/w'


async def _counts(app: BotApp) -> tuple[int, ...]:
    async with app.database.unit_of_work() as uow:
        return tuple(
            [
                int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (Event, Rsvp, OutboxMessage, EventFeedback)
            ]
        )


def _calendar(replies: list[Reply]) -> Calendar:
    attachments = [a for r in replies for a in r.attachments]
    assert len(attachments) == 1 and attachments[0].mime_type == "text/calendar"
    return Calendar.from_ical(attachments[0].data)


async def _checked(app: BotApp, replies: list[Reply]) -> Calendar:
    """The calendar, after both parsers read it as the bot means it (tests/.../calendars.py)."""
    await check_calendar(app, ics_of(replies))
    return _calendar(replies)


async def test_ics_files_parse_and_show_the_right_instant(app: BotApp) -> None:
    await say(app, "sofia", ADD)
    await say(app, "sofia", '/webinar add "Toolkit" 2026-12-03 10:00 America/Bogota weekly:3 1h')
    await say(app, "lucia", "/rsvp 1")
    await say(app, "lucia", "/rsvp 2")
    one = await _checked(app, await say(app, "lucia", "/ics 1"))
    (event,) = one.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.astimezone(UTC) == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "Europe/Madrid"
    assert event.decoded("dtend") - start == timedelta(minutes=90)
    assert [tz["tzid"] for tz in one.walk("VTIMEZONE")] == ["Europe/Madrid"]
    everything = await _checked(app, await say(app, "lucia", "/calendar"))
    events = everything.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Gender budgeting in LGAs", "Toolkit"]
    series = events[1]
    assert series.decoded("dtstart").astimezone(UTC) == datetime(2026, 12, 3, 15, tzinfo=UTC)
    rule = series["rrule"]  # a vRecur (icalendar types a property as any value type)
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [3]  # type: ignore[index]
    assert {tz["tzid"] for tz in everything.walk("VTIMEZONE")} == {
        "Europe/Madrid",
        "America/Bogota",
    }


async def test_recording_asks_attendees_for_feedback(app: BotApp, clock: ManualClock) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", ADD)
    await say(app, "grace", "/rsvp 1")
    await say(app, "amina", "/rsvp 1")
    await dispatcher.run_due()
    clock.set(datetime(2026, 11, 26, 16, 0, tzinfo=UTC))
    replies = await say(app, "sofia", "/webinar recording 1 https://x.org/rec")
    assert "2 attendees" in texts(replies)
    await dispatcher.run_due()
    recording = messenger.to("grace")[-1]
    assert "https://x.org/rec" in recording.text
    actions = [b.action for row in recording.reply.buttons for b in row]
    assert actions == [f"rate 1 {n}" for n in range(1, 6)]
    press = Request(actor("grace"), private("grace"), RequestKind.BUTTON, text=actions[4])
    assert "5/5" in texts(await app.handle(press))
    await say(app, "amina", "/rate 1 3")
    await say(app, "amina", "/comment 1 Very concrete, thank you")
    assert "from 1 to 5" in texts(await say(app, "amina", "/rate 1 9"))
    assert "Only those who joined" in texts(await say(app, "moana", "/rate 1 4"))
    results = texts(await say(app, "sofia", "/webinar feedback 1"))
    assert "2 ratings, average 4.0 / 5" in results and "Very concrete" in results
    assert "Amina" not in results  # comments are shown without names


async def test_deep_link_rsvp(app: BotApp) -> None:
    await say(app, "sofia", ADD)
    assert "You're in" in texts(await say(app, "lucia", "/start rsvp-1"))
    assert "not valid" in texts(await say(app, "lucia", "/start rsvp-x"))
    async with app.database.unit_of_work() as uow:
        assert len(await uow.events.attendees(1)) == 1


async def test_linked_webinar_chats_get_the_announcement_and_reminders(
    sqlite_url: str, clock: ManualClock
) -> None:
    community = CommunityConfig(
        chats=(ChatLink(platform="console", chat_id="webinars-room", purpose="webinars"),)
    )
    app = await BotApp.start(make_settings(sqlite_url, community=community), clock=clock)
    dispatcher, messenger = wire(app)
    await say(app, "sofia", ADD + " 24h,1h")
    await dispatcher.run_due()
    (announcement,) = messenger.to("webinars-room")
    assert "Gender budgeting" in announcement.text and not announcement.recipient.private
    assert tuple(b.action for b in announcement.reply.buttons[0]) == ("rsvp 1", "ics 1")
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    await dispatcher.run_due()
    assert len(messenger.to("webinars-room")) == 2  # the 24 h one was missed: the clock jumped
    await app.close()


@pytest.mark.parametrize(
    ("name", "command", "expected"),
    [
        ("sofia", '/webinar add "X" 2026-13-40 14:00 UTC', "but not the day “2026-13-40”"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 Mars/Olympus', "I did not understand"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 zone=Mars/Olympus', "not a time zone"),
        ("sofia", '/webinar add "X" 2020-11-26 14:00 UTC', "in the past"),
        ("sofia", '/webinar add "X" 2027-03-28 02:30 Europe/Madrid', "does not exist"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 UTC ftp://x', "I did not understand"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 UTC link=ftp://x', "not a web link"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 UTC audience=mars', "not an audience"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 UTC speakers=#99', "no member called"),
        ("sofia", '/webinar add "X" 2026-11-26 14:00 UTC repeat=daily', "not a repetition"),
        ("lucia", ADD, "for the network's admins"),
        ("sofia", "/webinar cancel 99", "There is no event #99"),
        ("sofia", "/webinar reschedule 99 2026-12-01 10:00", "There is no event #99"),
        ("lucia", "/rsvp 99", "There is no event #99"),
        ("lucia", "/rsvp abc", "is not a number"),
        ("lucia", "/reminders 1 soon", "is not a duration"),
        ("lucia", "/unrsvp 1", "You had not joined"),
        ("lucia", "/calendar", "not joined any event"),
    ],
)
async def test_bad_input_gets_a_clear_reply_and_changes_nothing(
    app: BotApp, name: str, command: str, expected: str
) -> None:
    await say(app, "sofia", ADD)
    before = await _counts(app)
    replies = await say(app, name, command)
    assert expected in texts(replies)
    assert await _counts(app) == before


async def test_region_audience_hides_the_event_from_other_regions(app: BotApp) -> None:
    await say(app, "sofia", ADD + " audience=region:mena")
    await say(app, "amina", "/profile set country TN")
    assert "Gender budgeting" in texts(await say(app, "amina", "/webinars"))
    assert "No upcoming events" in texts(await say(app, "lucia", "/webinars"))
    assert "There is no event #1" in texts(await say(app, "lucia", "/rsvp 1"))


async def test_reminders_speak_each_members_language(app: BotApp, clock: ManualClock) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", ADD + " 1h")
    words = {"fr": "Rappel", "es": "Recordatorio", "ar": "تذكير"}
    for language in words:
        await say(app, f"m{language}", f"/language {language}")
        assert "You're in" not in texts(await say(app, f"m{language}", "/rsvp 1"))
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    await dispatcher.run_due()
    for language, word in words.items():
        (reminder,) = messenger.to(f"m{language}")
        assert word in reminder.text
        assert reminder.reply.rtl is (language == "ar")


async def test_scheduler_wakes_the_dispatcher_after_an_enqueue(app: BotApp) -> None:
    """APScheduler is armed at the next due row; an RSVP re-arms it after its commit."""
    clock = app.clock
    assert isinstance(clock, ManualClock)
    clock.set(datetime.now(UTC))
    messenger = RecordingMessenger(clock)
    app.add_messenger(messenger)
    service = DispatchScheduler(Dispatcher(app))
    service.start()
    try:
        soon = datetime.now(UTC) + timedelta(hours=1, minutes=2)
        local = soon.strftime("%Y-%m-%d %H:%M")
        await say(app, "sofia", f'/webinar add "Now" {local} UTC 30m https://x.org 1h')
        await say(app, "lucia", "/rsvp 1")
        async with app.database.unit_of_work() as uow:
            due = await uow.outbox.next_due_at()
        assert due is not None
        assert service.scheduler is not None
        scheduler = service.scheduler

        def armed() -> bool:  # re-armed after the commit, in the background
            job = scheduler.get_job(DispatchScheduler.WAKE_JOB)
            return job is not None and job.next_run_time == due

        await eventually(armed, within=10)
        assert due == soon.replace(second=0, microsecond=0) - timedelta(hours=1)
    finally:
        service.stop()


class RecordingMirror:
    """A platform's scheduled events, at the edge: remembers what it was asked."""

    def __init__(self) -> None:
        self.events: dict[str, MirroredEvent] = {}
        self.cancelled: list[str] = []
        self.fail = False

    async def publish(self, event: MirroredEvent, existing_id: str | None) -> str:
        if self.fail:
            raise ConnectionError("platform down")
        event_id = existing_id or f"d{len(self.events) + 1}"
        self.events[event_id] = event
        return event_id

    async def cancel(self, existing_id: str) -> None:
        self.cancelled.append(existing_id)


async def test_events_are_mirrored_created_updated_and_cancelled(
    app: BotApp, clock: ManualClock
) -> None:
    mirror = RecordingMirror()
    await say(app, "sofia", ADD)
    mirror.fail = True
    assert (
        await mirror_events(app, mirror, now=clock.now(), default_community=app.default_community)
        == 0
    )  # retried on the next sweep
    mirror.fail = False
    assert (
        await mirror_events(app, mirror, now=clock.now(), default_community=app.default_community)
        == 1
    )
    assert (
        await mirror_events(app, mirror, now=clock.now(), default_community=app.default_community)
        == 0
    )  # nothing changed
    assert mirror.events["d1"].starts_at == datetime(2026, 11, 26, 13, tzinfo=UTC)
    await say(app, "sofia", "/webinar reschedule 1 2026-11-27 10:00")
    assert (
        await mirror_events(app, mirror, now=clock.now(), default_community=app.default_community)
        == 1
    )
    assert list(mirror.events) == ["d1"]
    assert mirror.events["d1"].starts_at == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert mirror.events["d1"].location == "https://x.org/w"
    await say(app, "sofia", "/webinar cancel 1")
    assert (
        await mirror_events(app, mirror, now=clock.now(), default_community=app.default_community)
        == 1
    )
    assert mirror.cancelled == ["d1"]


async def test_speakers_are_members_found_by_first_name_or_guests_kept_as_text(
    app: BotApp,
) -> None:
    await say(app, "lucia", "/start")  # "Lucia": a member
    said = texts(
        await say(app, "sofia", ADD + ' speakers="lucia, Dr. Wanjiru Kamau, *Bold* @here"')
    )
    assert "Speakers: Lucia, Dr. Wanjiru Kamau, and *Bold* @here" in said
    async with app.database.unit_of_work() as uow:
        event = (await uow.session.scalars(select(Event))).one()
        lucia = (await uow.members.by_words("lucia", _everyone(), limit=2))[0]
        assert event.speakers == [lucia.id]  # she is reminded as a speaker; guests are text
        assert event.guest_speakers == ["Dr. Wanjiru Kamau", "*Bold* @here"]
    said = texts(await say(app, "sofia", "/webinar edit 1 speakers Amara Diallo"))
    async with app.database.unit_of_work() as uow:
        event = (await uow.session.scalars(select(Event))).one()
        assert event.speakers == [] and event.guest_speakers == ["Amara Diallo"], said


def _everyone() -> MemberScope:
    from storage.repositories.members import EVERYONE

    return EVERYONE
