""" "Take it again every few months": one invitation through the outbox, N months after a
finished personal assessment, in her language, with a button to start; never twice; nobody
with an open sitting or who took it again is invited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.config import AssessmentConfig
from bot.core.clock import ManualClock
from bot.features.assessment.retake import invite_to_retake, months_before
from storage.models import OutboxMessage
from tests.conftest import make_settings
from tests.features.assessment.helpers import answer_all, press
from tests.features.events.fakes import wire
from tests.helpers import say

LEVELS = [3] * 12


async def _take(app: BotApp, name: str) -> None:
    await answer_all(app, name, LEVELS, await say(app, name, "/assess start"))


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(datetime(2027, 5, 31, 9, tzinfo=UTC), 3) == datetime(
        2027, 2, 28, 9, tzinfo=UTC
    )
    assert months_before(datetime(2027, 2, 15, tzinfo=UTC), 3) == datetime(2026, 11, 15, tzinfo=UTC)


async def test_one_invitation_months_later_in_her_language_never_twice(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    dispatcher, messenger = wire(app)
    await say(app, "amina", "/language fr")
    await _take(app, "amina")  # finished: invited in three months
    await _take(app, "grace")
    await say(app, "grace", "/assess start")  # Grace has a sitting open: not invited
    await _take(app, "lena")
    await say(app, "sofia", "/assess start")
    clock.advance(timedelta(days=80))
    await _take(app, "omar")  # Omar took it a second time: only his latest sitting counts
    assert await invite_to_retake(app, clock.now()) == 0  # not three months yet
    clock.advance(timedelta(days=12))  # 92 days after the first sittings
    assert await invite_to_retake(app, clock.now()) == 2  # Amina and Lena
    assert await invite_to_retake(app, clock.now()) == 0  # never twice
    await dispatcher.run_due()
    to = {d.recipient.chat_id: d for d in messenger.sent}
    assert set(to) == {"amina", "lena"}
    amina = to["amina"]
    assert amina.recipient.private
    assert "Repasser l'auto-évaluation ?" in amina.text
    [[button]] = amina.reply.buttons
    assert button.label == "La repasser" and button.action == "assess start"
    assert "Take it again" in to["lena"].reply.buttons[0][0].label
    # the button starts a new sitting
    started = await press(app, "amina", button.action)
    assert any(r.buttons for r in started)
    # even after the sent copies are pruned, nobody is invited again
    async with app.database.unit_of_work() as uow:
        for row in (await uow.session.scalars(select(OutboxMessage))).all():
            await uow.session.delete(row)
    clock.advance(timedelta(days=200))
    assert await invite_to_retake(app, clock.now()) == 1  # only Omar's second sitting is due
    await dispatcher.run_due()
    assert [d.recipient.chat_id for d in messenger.sent[2:]] == ["omar"]


async def test_zero_months_invites_nobody(tmp_path: object, clock: ManualClock) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path}/r.db", assessment=AssessmentConfig(retake_months=0)
    )
    app = await BotApp.start(settings, clock=clock)
    try:
        await _take(app, "amina")
        clock.advance(timedelta(days=400))
        assert await invite_to_retake(app, clock.now()) == 0
    finally:
        await app.close()
