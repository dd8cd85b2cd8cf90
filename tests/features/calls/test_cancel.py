"""/call cancel: the volunteers are told once, what is not sent yet (deadline reminders, last
calls) is removed, the decision is audited; and at pick time, or at cancel time, who withdrew
hears nothing (they already said they would not take part)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from bot.features.calls.reminders import call_deadlines
from storage.models import AuditEntry, OutboxMessage
from storage.models_calls import ContributorCall
from storage.statuses import CallStatus, OutboxStatus
from tests.features.calls.test_calls import ADMIN, PEOPLE, post_call, webinar
from tests.features.calls.world import add_champions
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say, texts


async def _rows(app: BotApp) -> list[OutboxMessage]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(OutboxMessage))).all())


async def test_cancel_tells_the_volunteers_once_and_removes_pending_reminders(
    app: BotApp, clock: ManualClock
) -> None:
    await add_champions(app, PEOPLE)
    await say(app, "bea", "/language fr")
    await say(app, ADMIN, "/profile set country Spain")  # the admin has a private chat
    await webinar(app)
    await post_call(app)
    messenger = RecordingMessenger(clock)
    app.add_messenger(messenger)
    await Dispatcher(app).run_due()  # the invitations go out
    for name in ("ana", "bea", "chidi"):
        await say(app, name, "/call volunteer 1")
    await say(app, "chidi", "/call withdraw 1")  # Chidi withdrew: told nothing
    async with app.database.unit_of_work() as uow:
        call = await uow.session.get(ContributorCall, 1)
        assert call is not None
        deadline = call.deadline
    clock.set(deadline - timedelta(hours=3))
    assert await call_deadlines(app, clock.now()) > 0  # reminders queued, not yet sent
    pending = [r for r in await _rows(app) if r.kind == "call.reminder"]
    assert pending and all(r.status == OutboxStatus.PENDING for r in pending)
    before = len(messenger.sent)

    said = texts(await say(app, ADMIN, "/call cancel 1 The webinar moved to March", update_id="c1"))
    assert "is cancelled. 2 volunteers will be told." in said
    assert texts(await say(app, ADMIN, "/call cancel 1", update_id="c1")) == ""  # redelivered
    assert "already cancelled" in texts(await say(app, ADMIN, "/call cancel 1"))
    assert "already cancelled" in texts(await say(app, ADMIN, "/call pick 1 Ana"))
    rows = await _rows(app)
    assert not [r for r in rows if r.kind == "call.reminder"]  # pending reminders removed
    clock.advance(timedelta(hours=4))  # past the deadline: no "time to choose" either
    assert await call_deadlines(app, clock.now()) == 0
    await Dispatcher(app).run_due()
    await Dispatcher(app).run_due()
    after = messenger.sent[before:]
    assert sorted(d.recipient.chat_id for d in after) == ["ana", "bea"]
    ana = next(d.text for d in after if d.recipient.chat_id == "ana")
    bea = next(d.text for d in after if d.recipient.chat_id == "bea")
    assert "The call “Speak at the quotas clinic” is cancelled." in ana
    assert "The webinar moved to March" in ana
    assert "L'appel « Speak at the quotas clinic » est annulé." in bea
    # a cancelled call takes no volunteers; the admin's list says so
    assert "is closed" in texts(await say(app, "dede", "/call volunteer 1"))
    assert "cancelled" in texts(await say(app, ADMIN, "/call list"))
    async with app.database.unit_of_work() as uow:
        call = await uow.session.get(ContributorCall, 1)
        [entry] = (
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "call.cancel"))
        ).all()
    assert call is not None and call.status is CallStatus.CANCELLED
    assert entry.detail["reason"] == "The webinar moved to March" and entry.detail["told"] == 2
    assert entry.detail["unsent_removed"] >= 1


async def test_only_an_admin_cancels_and_a_decided_call_stays_decided(app: BotApp) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    await post_call(app)
    await say(app, "ana", "/call volunteer 1")
    refused = texts(await say(app, "ana", "/call cancel 1"))
    assert "cancelled" not in refused
    await say(app, ADMIN, "/call pick 1 Ana")
    assert "already decided" in texts(await say(app, ADMIN, "/call cancel 1"))
    assert "no call" in texts(await say(app, ADMIN, "/call cancel 99")).lower()


async def test_who_withdrew_is_not_told_at_pick_time(app: BotApp, clock: ManualClock) -> None:
    await add_champions(app, PEOPLE)
    await webinar(app)
    await post_call(app)
    messenger = RecordingMessenger(clock)
    app.add_messenger(messenger)
    await Dispatcher(app).run_due()
    for name in ("ana", "bea", "chidi"):
        await say(app, name, "/call volunteer 1")
    await say(app, "chidi", "/call withdraw 1")
    before = len(messenger.sent)
    assert "1 other volunteer will be thanked" in texts(await say(app, ADMIN, "/call pick 1 Bea"))
    await Dispatcher(app).run_due()
    assert sorted(d.recipient.chat_id for d in messenger.sent[before:]) == ["ana", "bea"]
