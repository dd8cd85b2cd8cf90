"""Reminders arrive at the right instants, in each member's zone, and exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from storage.models import OutboxMessage
from tests.features.events.fakes import wire
from tests.helpers import say, texts

MEMBERS = {
    "diego": "America/Mexico_City",
    "ngozi": "Africa/Lagos",
    "rania": "Asia/Amman",
    "aroha": "Pacific/Auckland",
}


async def _members(app: BotApp) -> None:
    for name, zone in MEMBERS.items():
        await say(app, name, f"/timezone {zone}")


async def _pending(app: BotApp) -> list[OutboxMessage]:
    async with app.database.unit_of_work() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == "pending")
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
        return list(rows.all())


async def step_to(dispatcher: Dispatcher, clock: ManualClock, moment: datetime) -> tuple[int, int]:
    """Run the dispatcher a minute before ``moment`` and at it: (sent before, sent at)."""
    clock.set(moment - timedelta(minutes=1))
    early = (await dispatcher.run_due()).sent
    clock.set(moment)
    return early, (await dispatcher.run_due()).sent


async def test_reminders_at_the_right_instants_in_four_zones(
    app: BotApp, clock: ManualClock
) -> None:
    dispatcher, messenger = wire(app)
    await _members(app)
    replies = await say(
        app,
        "sofia",
        '/webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid 90m '
        "https://example.org/w 24h,1h",
    )
    assert "Scheduled event #1" in texts(replies)
    for name in MEMBERS:
        assert "You're in" in texts(await say(app, name, "/rsvp 1"))

    # 14:00 Madrid (UTC+1 in November) = 13:00 UTC.
    day_before = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    hour_before = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert await step_to(dispatcher, clock, day_before) == (0, 4)
    assert {d.at for d in messenger.sent} == {day_before}
    assert await step_to(dispatcher, clock, hour_before) == (0, 4)
    assert (await dispatcher.run_due()).sent == 0

    expected_local = {
        "diego": "07:00",  # UTC-6
        "ngozi": "14:00",  # UTC+1
        "rania": "16:00",  # UTC+3
        "aroha": "02:00",  # UTC+13 (New Zealand summer), the next day
    }
    for name, local in expected_local.items():
        got = messenger.to(name)
        assert len(got) == 2, name
        assert all(local in d.text and MEMBERS[name] in d.text for d in got), got[0].text
        assert all(d.recipient.private for d in got)
    assert "Fri, 27 Nov 2026, 02:00" in messenger.to("aroha")[0].text
    assert "night" in messenger.to("aroha")[0].text
    assert "night" not in messenger.to("ngozi")[0].text
    assert "starts in 1 day" in messenger.to("ngozi")[0].text
    assert "starts in 1 hour" in messenger.to("ngozi")[1].text


async def test_weekly_series_keeps_its_local_time_across_dst(
    app: BotApp, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    dispatcher, messenger = wire(app)
    await _members(app)
    await say(
        app,
        "sofia",
        '/webinar add "Toolkit training" 2026-10-15 10:00 Europe/Madrid 60m weekly:4 '
        "https://example.org/t reminders=1h",
    )
    for name in MEMBERS:
        await say(app, name, "/rsvp 1")
    # Madrid leaves summer time on 25 October 2026: 10:00 is 08:00 UTC, then 09:00 UTC.
    starts = [
        datetime(2026, 10, 15, 8, tzinfo=UTC),
        datetime(2026, 10, 22, 8, tzinfo=UTC),
        datetime(2026, 10, 29, 9, tzinfo=UTC),
        datetime(2026, 11, 5, 9, tzinfo=UTC),
    ]
    dues = sorted({row.due_at for row in await _pending(app)})
    assert dues == [start - timedelta(hours=1) for start in starts]
    for start in starts:
        assert await step_to(dispatcher, clock, start - timedelta(hours=1)) == (0, 4)
    # Mexico City and Amman keep no DST: the reader's time moves with the UTC shift.
    diego = [d.text for d in messenger.to("diego")]
    assert ["02:00" in t for t in diego] == [True, True, False, False]
    assert ["03:00" in t for t in diego[2:]] == [True, True]
    aroha = [d.text for d in messenger.to("aroha")]
    assert "21:00" in aroha[0] and "22:00" in aroha[3]
    assert len(messenger.sent) == 16


async def test_rsvp_twice_and_edits_never_duplicate(app: BotApp, clock: ManualClock) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "Quotas" 2026-11-20 15:00 UTC 60m https://x.org/q 1h')
    await say(app, "ngozi", "/rsvp 1")
    await say(app, "ngozi", "/rsvp 1")
    await say(app, "sofia", '/webinar edit 1 title "Quotas and reserved seats"')
    assert sorted(row.kind for row in await _pending(app)) == ["change", "reminder"]
    assert (await dispatcher.run_due()).sent == 1  # the change notice, at once
    assert "Changed: “Quotas and reserved seats”" in messenger.sent[0].text
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    assert (await dispatcher.run_due()).sent == 1
    await say(app, "sofia", "/webinar edit 1 description Bring your questions")
    await dispatcher.run_due()
    reminders = [d for d in messenger.sent if "Reminder" in d.text]
    assert len(reminders) == 1 and "reserved seats" in reminders[0].text


async def test_personal_offsets_and_unrsvp(app: BotApp, clock: ManualClock) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "Quotas" 2026-11-20 15:00 UTC 60m https://x.org/q')
    await say(app, "ngozi", "/rsvp 1")
    await say(app, "rania", "/rsvp 1")
    assert "10 minutes" in texts(await say(app, "ngozi", "/reminders 1 10m"))
    await say(app, "rania", "/unrsvp 1")
    dues = [(row.member_id, row.due_at) for row in await _pending(app)]
    assert dues == [(2, datetime(2026, 11, 20, 14, 50, tzinfo=UTC))]
    clock.set(datetime(2026, 11, 20, 14, 50, tzinfo=UTC))
    assert (await dispatcher.run_due()).sent == 1
    assert messenger.to("ngozi") and not messenger.to("rania")


async def test_reschedule_supersedes_and_cancel_withdraws(app: BotApp, clock: ManualClock) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "Quotas" 2026-11-20 15:00 UTC 60m https://x.org/q')
    await say(app, "ngozi", "/timezone Africa/Lagos")
    await say(app, "ngozi", "/rsvp 1")
    replies = await say(app, "sofia", "/webinar reschedule 1 2026-11-21 09:00 Africa/Lagos")
    assert "1 attendee was told" in texts(replies)  # singular, not "1 attendees"
    dues = sorted(row.due_at for row in await _pending(app) if row.kind == "reminder")
    assert dues == [datetime(2026, 11, 20, 8, tzinfo=UTC), datetime(2026, 11, 21, 7, tzinfo=UTC)]
    await dispatcher.run_due()
    assert "New time" in messenger.sent[-1].text and "09:00" in messenger.sent[-1].text
    await say(app, "sofia", "/webinar cancel 1")
    assert [row.kind for row in await _pending(app)] == ["cancel"]
    await dispatcher.run_due()
    clock.set(datetime(2026, 11, 21, 8, tzinfo=UTC))
    assert (await dispatcher.run_due()).sent == 0
    assert ["Cancelled" in d.text for d in messenger.sent] == [False, True]
    assert "Reminder" not in texts([d.reply for d in messenger.sent])
    assert "cancelled" in texts(await say(app, "ngozi", "/rsvp 1"))


async def test_grace_window_sends_late_and_records_older_as_missed(
    app: BotApp, clock: ManualClock
) -> None:
    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "A" 2026-11-20 15:00 UTC 60m https://x.org/a 2h,1h')
    await say(app, "ngozi", "/rsvp 1")
    # The bot was down from before 13:00 until 14:10: the 2 h reminder (13:00) is 70 min
    # late, beyond the 15 min grace; the 1 h one (14:00) is 10 min late, still sent.
    clock.set(datetime(2026, 11, 20, 14, 10, tzinfo=UTC))
    report = await dispatcher.run_due()
    assert (report.missed, report.sent) == (1, 1)
    assert "starts in 1 hour" in messenger.sent[0].text
    listing = texts(await say(app, "sofia", "/webinar missed"))
    assert "“A” for Ngozi" in listing
    assert "Missed" not in texts(await say(app, "ngozi", "/webinar missed"))


async def test_webinars_card_in_the_readers_zone_with_a_night_note(app: BotApp) -> None:
    await say(app, "lucia", "/timezone America/Bogota")
    await say(app, "moana", "/timezone Pacific/Rarotonga")
    await say(
        app,
        "sofia",
        '/webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 Europe/Madrid 90m https://x.org',
    )
    lucia = texts(await say(app, "lucia", "/webinars"))
    moana_replies = await say(app, "moana", "/webinars")
    moana = texts(moana_replies)
    assert "Thu, 26 Nov 2026, 08:00 (America/Bogota)" in lucia and "night" not in lucia
    assert "Thu, 26 Nov 2026, 03:00 (Pacific/Rarotonga)" in moana and "night" in moana
    actions = [b.action for r in moana_replies for row in r.buttons for b in row]
    assert "rsvp 1" in actions and "ics 1" in actions
    french = texts(await say(app, "lucia", "/webinars", locale="fr"))
    assert "jeu. 26 nov. 2026, 08:00" in french


async def test_an_open_series_is_extended_by_the_sweep_without_duplicates(
    app: BotApp, clock: ManualClock
) -> None:
    from bot.features.events.reminders import refresh_series

    dispatcher, messenger = wire(app)
    await say(app, "sofia", '/webinar add "Open series" 2026-11-19 10:00 UTC weekly 60m 1h')
    await say(app, "ngozi", "/rsvp 1")
    first = [row.due_at for row in await _pending(app)]
    assert len(first) == 9  # 60 days of weekly sessions from 16 November
    clock.advance(timedelta(days=28))
    await dispatcher.run_due()  # the past ones are older than the grace window: missed
    async with app.database.unit_of_work() as uow:
        assert await refresh_series(uow, now=clock.now()) == 4
    async with app.database.unit_of_work() as uow:
        assert await refresh_series(uow, now=clock.now()) == 0
    pending = [row.due_at for row in await _pending(app)]
    assert len(pending) == len(set(pending)) == 9
    assert pending[-1] == datetime(2027, 2, 11, 9, 0, tzinfo=UTC)
    assert not messenger.sent


async def test_discord_style_options_create_the_same_event(app: BotApp) -> None:
    from bot.core.messages import Request, RequestKind
    from tests.helpers import actor, private

    request = Request(
        actor("sofia"),
        private("sofia"),
        RequestKind.COMMAND,
        command="webinar add",
        options={
            "title": "Gender budgeting in LGAs",
            "start": "2026-11-26 14:00",
            "details": "Europe/Madrid 90m https://x.org/w 24h,1h",
        },
    )
    assert "Scheduled event #1" in texts(await app.handle(request))
    async with app.database.unit_of_work() as uow:
        event = await uow.events.get(1)
        assert event is not None
        assert (event.starts_at, event.duration_minutes, event.offsets) == (
            datetime(2026, 11, 26, 13, 0, tzinfo=UTC),
            90,
            [1440, 60],
        )


def test_offsets_are_said_exactly_in_each_language() -> None:
    from bot.core.i18n import Translator

    def said(minutes: int, language: str) -> str:
        return Translator(language).duration(timedelta(minutes=minutes))

    assert [said(m, "en") for m in (1440, 60, 90, 10)] == [
        "1 day",
        "1 hour",
        "90 minutes",
        "10 minutes",
    ]
    assert said(90, "es") == "90 minutos"
    assert said(2880, "fr") == "2\xa0jours"


def test_a_series_starting_far_ahead_is_not_over() -> None:
    """The next session is found however far ahead the series starts (it was 400 days)."""
    from datetime import UTC, datetime

    from bot.features.events.service import next_occurrence
    from storage.models import Event

    start = datetime(2029, 3, 5, 13, 0, tzinfo=UTC)
    event = Event(
        title="Later",
        starts_at=start,
        timezone="Europe/Madrid",
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=3",
        cancelled_dates=[],
    )
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert next_occurrence(event, now) == start
    event.cancelled_dates = ["2029-03-05"]
    assert next_occurrence(event, now) == datetime(2029, 3, 12, 13, 0, tzinfo=UTC)
    assert next_occurrence(event, datetime(2029, 3, 30, tzinfo=UTC)) is None


async def test_reminders_refuse_past_offsets_and_turn_off(app: BotApp, clock: ManualClock) -> None:
    wire(app)
    await say(app, "sofia", '/webinar add "Quotas" 2026-11-20 15:00 UTC 60m https://x.org/q')
    await say(app, "ngozi", "/rsvp 1")
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    before = [(row.member_id, row.due_at) for row in await _pending(app)]
    said = texts(await say(app, "ngozi", "/reminders 1 2h,10m"))
    assert "starts in 1 hour" in said and "2 hours before would already be past" in said
    assert [(row.member_id, row.due_at) for row in await _pending(app)] == before  # unchanged
    assert "30 minutes" in texts(await say(app, "ngozi", "/reminders 1 30m"))
    dues = [row.due_at for row in await _pending(app) if row.member_id == 2]
    assert datetime(2026, 11, 20, 14, 30, tzinfo=UTC) in dues
    for off in ("off", "Désactiver", "إيقاف"):
        assert "No more reminders" in texts(await say(app, "ngozi", f"/reminders 1 {off}"))
        assert not [row for row in await _pending(app) if row.member_id == 2], off
        await say(app, "ngozi", "/reminders 1 30m")
    said = texts(await say(app, "ngozi", "/reminders 1 sometimes"))
    assert "sometimes" in said  # neither offsets nor "off": the usual polite refusal
