"""Calls for contributors through the router and the outbox: matching, volunteering, the pick,
speakers and their reminders, deadline reminders, a restart between the pick and the sends."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Reply, Request, RequestKind
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.outbox import payload_reply
from bot.features.calls.reminders import call_deadlines
from storage.models import AuditEntry, Event, OutboxMessage
from storage.repositories.members import EVERYONE
from tests.conftest import make_settings
from tests.features.calls.world import add_champions
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import actor, private, say, texts

ADMIN = "sofia"
PEOPLE = {
    "ana": ["legal_quotas"],
    "bea": ["legal_quotas", "gender_budgeting"],
    "chidi": ["legal_quotas"],
    "dede": ["gbv"],
}


async def webinar(app: BotApp) -> int:
    said = texts(
        await say(app, ADMIN, '/webinar add "Quotas clinic" 2026-12-10 15:00 Europe/Madrid 60m')
    )
    assert "Scheduled event #1" in said
    return 1


async def post_call(app: BotApp, themes: str = "quotas") -> str:
    return texts(
        await say(
            app, ADMIN,
            f'/call add speaker 2026-12-01 18:00 "Speak at the quotas clinic" event=1 '
            f"themes={themes} Ten minutes on your council's experience",
        )
    )  # fmt: skip


async def test_a_call_reaches_matching_champions_in_any_language(app: BotApp) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    # "cuotas" is the Spanish word for quotas: the hub taxonomy reads it as the same theme.
    said = await post_call(app, themes="cuotas")
    assert "Call #1 is posted." in said
    assert "Sent privately to 3 matching champions" in said
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
    invited = sorted(r.chat_id for r in rows if r.kind == "call.invite")
    assert invited == ["ana", "bea", "chidi"]  # dede works on violence: not invited
    card = next(r for r in rows if r.chat_id == "ana")
    [[button]] = payload_reply(card.payload).buttons
    assert button.action == "call volunteer 1" and button.label == "I volunteer"


async def test_volunteer_withdraw_and_the_admin_sees_who(app: BotApp) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    await post_call(app)
    assert "You volunteered" in texts(await say(app, "ana", "/call volunteer 1"))
    assert "You volunteered" in texts(await say(app, "bea", "/call volunteer 1"))
    assert "You withdrew" in texts(await say(app, "bea", "/call withdraw 1"))
    assert "not volunteered" in texts(await say(app, "bea", "/call withdraw 1"))
    shown = texts(await say(app, ADMIN, "/call volunteers 1"))
    assert "Ana (#" in shown and "volunteered" in shown and "withdrew" in shown
    # A plain member cannot volunteer: the core refuses before the handler.
    refused = texts(await say(app, "zoe", "/call volunteer 1"))
    assert "You volunteered" not in refused


async def test_pick_for_speakers_survives_a_restart_between_the_pick_and_the_sends(
    db_url: str, clock: ManualClock
) -> None:
    """Three volunteers: one speaker on the event, two thanked, once each, across a restart
    (on SQLite, and on PostgreSQL when it is configured)."""
    settings = make_settings(db_url)
    app = await BotApp.start(settings, clock=clock)
    await add_champions(app, PEOPLE)
    await webinar(app)
    await post_call(app)
    invites = RecordingMessenger(clock)
    app.add_messenger(invites)
    await Dispatcher(app).run_due()
    assert sorted(d.recipient.chat_id for d in invites.sent) == ["ana", "bea", "chidi"]
    for name in ("ana", "bea", "chidi"):
        assert "You volunteered" in texts(await say(app, name, "/call volunteer 1"))
    picked = texts(await say(app, ADMIN, "/call pick 1 Bea", update_id="pick-1"))
    assert "Chosen for “Speak at the quotas clinic”: Bea. 2 other volunteers" in picked
    await app.close()  # the process stops after the pick, before anything is sent

    restarted = await BotApp.start(settings, clock=clock)
    again = texts(await say(restarted, ADMIN, "/call pick 1 Bea", update_id="pick-1"))
    assert again == ""  # the same update, redelivered after the restart: ignored
    twice = texts(await say(restarted, ADMIN, "/call pick 1 Ana"))
    assert "already decided" in twice
    messenger = RecordingMessenger(clock)
    restarted.add_messenger(messenger)
    await Dispatcher(restarted).run_due()
    await Dispatcher(restarted).run_due()
    outcome = [d for d in messenger.sent if "volunteer" in d.text or "chosen" in d.text]
    per_person = Counter(d.recipient.chat_id for d in outcome)
    assert per_person == {"ana": 1, "bea": 1, "chidi": 1}
    [chosen] = messenger.to("bea")
    assert "You were chosen" in chosen.text and "speaker at “Quotas clinic”" in chosen.text
    assert all("Thank you for volunteering" in messenger.to(n)[0].text for n in ("ana", "chidi"))
    async with restarted.database.unit_of_work() as uow:
        event = await uow.session.get(Event, 1)
        bea = await uow.members.by_name("Bea", EVERYONE)
        audit = (await uow.session.scalars(select(AuditEntry.action))).all()
    assert event is not None and event.speakers == [bea[0].id]
    assert "call.add" in audit and "call.pick" in audit

    # The speaker gets the event's reminders as a speaker, in her own wording.
    clock.set(event.starts_at - timedelta(hours=1))
    await Dispatcher(restarted).run_due()
    spoken = [d.text for d in messenger.to("bea") if "Reminder" in d.text]
    assert spoken and all("you are speaking at “Quotas clinic”" in t for t in spoken)
    await restarted.close()


async def test_deadline_reminders_go_once_to_the_admin_and_the_silent_champions(
    app: BotApp, clock: ManualClock
) -> None:
    await add_champions(app, PEOPLE)
    await say(app, ADMIN, "/profile set country Spain")  # the admin has a private chat
    await webinar(app)
    await post_call(app)
    await say(app, "ana", "/call volunteer 1")
    assert await call_deadlines(app, clock.now()) == 0  # too early
    async with app.database.unit_of_work() as uow:
        call = await uow.calls.get(1)
        assert call is not None
        deadline = call.deadline
    clock.set(deadline - timedelta(hours=3))
    first = await call_deadlines(app, clock.now())
    assert await call_deadlines(app, clock.now()) == 0  # each once
    clock.set(deadline + timedelta(minutes=1))
    assert await call_deadlines(app, clock.now()) == 1  # "time to choose", once
    assert await call_deadlines(app, clock.now()) == 0
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
    keys = sorted(r.idempotency_key for r in rows if r.kind == "call.reminder")
    assert keys == ["call:1:due", "call:1:last:m2", "call:1:last:m3", "call:1:remind"]
    assert first == 3
    remind = next(r for r in rows if r.idempotency_key == "call:1:remind")
    assert "1 volunteer so far" in str(remind.payload)
    # Volunteering after the deadline is refused politely.
    assert "is closed" in texts(await say(app, "bea", "/call volunteer 1"))


async def test_bad_input_is_refused_and_changes_nothing(app: BotApp) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    no_event = texts(await say(app, ADMIN, '/call add speaker 2026-12-01 18:00 "Talk"'))
    assert "names its webinar" in no_event
    late = texts(await say(app, ADMIN, '/call add speaker 2026-12-20 18:00 "Talk" event=1'))
    assert "before the webinar starts" in late
    theme = texts(
        await say(app, ADMIN, '/call add case_study 2026-12-01 18:00 "Case" themes=astrology')
    )
    assert "I don't know the theme" in theme
    async with app.database.unit_of_work() as uow:
        assert await uow.calls.of_community(1) == []
    await say(app, ADMIN, '/call add reviewer 2026-12-01 18:00 "Chapter 3 reviewers" seats=2')
    await say(app, "ana", "/call volunteer 1")
    wrong = texts(await say(app, ADMIN, "/call pick 1 Dede"))
    assert "not one of the volunteers" in wrong


async def test_the_buttons_volunteer_and_withdraw(app: BotApp) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    await post_call(app)

    async def press(name: str, action: str) -> list[Reply]:
        request = Request(actor(name), private(name), RequestKind.BUTTON, text=action)
        return await app.handle(request)

    [thanks] = await press("ana", "call volunteer 1")
    assert "You volunteered" in thanks.body.plain()
    [[withdraw]] = thanks.buttons
    [again] = await press("ana", withdraw.action)
    assert "You withdrew" in again.body.plain()
    assert again.buttons[0][0].action == "call volunteer 1"
    stale = texts(await press("ana", "call volunteer 77"))
    assert "There is no call #77." in stale


async def test_a_speaker_who_rsvpd_gets_the_speakers_reminder_only(
    app: BotApp, clock: ManualClock
) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    await say(app, "bea", "/rsvp 1")
    await post_call(app)
    await say(app, "bea", "/call volunteer 1")
    await say(app, ADMIN, "/call pick 1 Bea")
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
    to_bea = [r.idempotency_key for r in rows if r.kind == "reminder" and r.chat_id == "bea"]
    assert to_bea and all(key.startswith("rem:1:s") for key in to_bea)
