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
from storage.models import Account, Member, OutboxMessage
from storage.models_assessment import Assessment
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


async def test_a_batch_tells_whom_it_told_before_where_and_in_her_language(
    both_app: BotApp, clock: ManualClock
) -> None:
    """One read for the batch (issue 17) still writes to each member's oldest account, in her
    language, with the same keys; a member without an account is marked, not written to; one
    with an open sitting or a newer one is left for later."""
    app = both_app
    now = clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None

        async def person(name: str, language: str | None = None) -> Member:
            return await uow.members.create(
                display_name=name.title(), platform="console", platform_user_id=name,
                username=None, language=language, now=now,
            )  # fmt: skip

        ana = await person("ana", "fr")
        ana.accounts.append(  # a newer account: the oldest is the one written to
            Account(platform="telegram", platform_user_id="9001", created_at=now)
        )
        ben = Member(display_name="Ben", languages=[], expertise=[], created_at=now,
                     updated_at=now)  # fmt: skip
        uow.session.add(ben)  # no account: nowhere to write
        cleo, dan = await person("cleo", "es"), await person("dan")
        await uow.session.flush()

        def sitting(member: Member, days: int, status: str = "done") -> Assessment:
            finished = now - timedelta(days=days)
            return Assessment(
                member_id=member.id, community_id=community.id, framework="x", track="personal",
                status=status, started_at=finished, updated_at=finished,
                finished_at=finished if status == "done" else None,
            )  # fmt: skip

        sittings = [sitting(ana, 100), sitting(ben, 100), sitting(cleo, 120), sitting(dan, 100)]
        sittings.append(sitting(dan, 1, status="open"))  # Dan has one open: not now
        uow.session.add_all(sittings)
        await uow.session.flush()
        ids = {m.id: m.display_name for m in (ana, ben, cleo, dan)}
        ana_s, ben_s, cleo_s, dan_s = (s.id for s in sittings[:4])

    assert await invite_to_retake(app, now) == 2
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
        marked = {s.id for s in (await uow.session.scalars(select(Assessment))).all()
                  if s.nudged_at is not None}  # fmt: skip
    sent = {
        r.idempotency_key: (ids[r.member_id or 0], r.platform, r.chat_id, r.private) for r in rows
    }
    assert sent == {
        f"assess:retake:{ana.id}:{ana_s}": ("Ana", "console", "ana", True),
        f"assess:retake:{cleo.id}:{cleo_s}": ("Cleo", "console", "cleo", True),
    }
    texts_of = {ids[r.member_id or 0]: str(r.payload["reply"]) for r in rows}
    assert "Repasser" in texts_of["Ana"] and "repetir la autoevaluaci" in texts_of["Cleo"]
    assert [r.member_id for r in rows] == [cleo.id, ana.id]  # the oldest sitting first
    assert marked == {ana_s, ben_s, cleo_s}  # Ben's too: never tried again
    assert dan_s not in marked
