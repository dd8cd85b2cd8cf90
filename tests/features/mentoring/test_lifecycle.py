"""A mentorship's life: an admin's pin, the agreed goal and end date, check-ins every few
weeks (each party in her language and zone, "need help" alerting the admins), closing with
feedback; a restart in the middle sends nothing twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from bot.features.mentoring import commands as mentoring
from bot.features.mentoring.lifecycle import CHECKIN_EVERY
from storage.models import OutboxMessage
from storage.models_networking import MentorCheckin, MentorFeedback, Mentorship
from storage.repositories.members import EVERYONE
from storage.statuses import CheckinAnswer, MentorshipStatus
from tests.conftest import make_settings
from tests.features.networking.world import BlockingMessenger, add_champions
from tests.helpers import say, texts


async def _people(app: BotApp) -> None:
    """Ana (mentee, French, Lima), Grace and Karl (mentors), Lena a community admin."""
    await add_champions(app, ("ana", "bea", "grace", "hope", "karl", "lena"), join=False)
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for name, languages in (("Ana", ["fr"]), ("Grace", ["fr", "en"]), ("Karl", ["fr"])):
            [member] = await uow.members.by_name(name, EVERYONE)
            member.languages = languages
        [ana] = await uow.members.by_name("Ana", EVERYONE)
        ana.language = "fr"
        [lena] = await uow.members.by_name("Lena", EVERYONE)
        await uow.communities.set_role(community, lena, "admin", app.clock.now())


async def _mentorship(app: BotApp, mentorship_id: int) -> Mentorship:
    async with app.database.unit_of_work() as uow:
        found = await uow.session.get(Mentorship, mentorship_id)
        assert found is not None
        return found


async def _active(app: BotApp, messenger: BlockingMessenger) -> int:
    """Grace offers, Ana asks, the admin pins Karl instead, Karl accepts: mentorship #1."""
    await say(app, "grace", "/mentor offer 1 6 legal quotas, campaign finance")
    await say(app, "karl", "/mentor offer 1 3 legal quotas")
    await say(app, "ana", "/mentor request first campaign, legal quotas")
    assert "Grace → Ana" in texts(await say(app, "sofia", "/mentor propose"))
    assert "Karl → Ana" in texts(await say(app, "sofia", "/mentor pin 1 Karl"))
    preview = texts(await say(app, "sofia", "/mentor propose"))
    assert "Karl → Ana" in preview and "chosen by the admins" in preview
    await say(app, "sofia", "/mentor approve")
    await Dispatcher(app).run_due()
    assert any("Would you mentor Ana?" in t for t in messenger.to("karl"))
    assert not messenger.to("grace")
    assert "Ana is told" in texts(await say(app, "karl", "/mentor accept 1"))
    await Dispatcher(app).run_due()
    return 1


async def test_an_admin_pins_another_mentor_and_bad_pins_change_nothing(app: BotApp) -> None:
    await _people(app)
    messenger = BlockingMessenger(app.clock)
    app.add_messenger(messenger)
    await say(app, "grace", "/mentor offer 1 6 legal quotas")
    await say(app, "ana", "/mentor request legal quotas")
    await say(app, "sofia", "/mentor propose")
    assert "has not offered to mentor" in texts(await say(app, "sofia", "/mentor pin 1 Bea"))
    assert "Nobody mentors themselves" in texts(await say(app, "sofia", "/mentor pin 1 Ana"))
    assert "no mentorship #9" in texts(await say(app, "sofia", "/mentor pin 9 Grace"))
    assert (await _mentorship(app, 1)).mentor_id != 0
    unchanged = await _mentorship(app, 1)
    assert not unchanged.pinned
    await say(app, "karl", "/mentor offer 1 3 legal quotas")
    assert "no longer open" not in texts(await say(app, "sofia", "/mentor pin 1 Karl"))
    pinned = await _mentorship(app, 1)
    assert pinned.pinned and pinned.reason["pinned"] and pinned.reason["language"] == "fr"
    await say(app, "sofia", "/mentor approve")
    assert "no longer open" in texts(await say(app, "sofia", "/mentor pin 1 Grace"))


async def test_goal_and_end_date_are_asked_then_edited(app: BotApp) -> None:
    await _people(app)
    messenger = BlockingMessenger(app.clock)
    app.add_messenger(messenger)
    await _active(app, messenger)
    [welcome_ana] = [t for t in messenger.to("ana") if "/mentor goal 1" in t]
    assert "Karl vous accompagnera en mentorat" in welcome_ana  # Ana reads French
    assert any("You now mentor Ana." in t and "/mentor goal 1" in t for t in messenger.to("karl"))
    assert "Mentorship #1 is not active" not in texts(
        await say(app, "ana", "/mentor goal 1 win the council seat in  Lima")
    )
    assert (await _mentorship(app, 1)).goal == "win the council seat in Lima"
    assert "YYYY-MM-DD" in texts(await say(app, "karl", "/mentor until 1 next-june"))
    assert "in the future" in texts(await say(app, "karl", "/mentor until 1 2020-01-01"))
    assert "Wed, 31 Mar 2027" in texts(await say(app, "karl", "/mentor until 1 2027-03-31"))
    ends = (await _mentorship(app, 1)).ends_at
    assert ends is not None and ends.date().isoformat() == "2027-03-31"
    assert "no mentorship #1" in texts(await say(app, "bea", "/mentor goal 1 hijack"))


async def test_check_ins_every_few_weeks_once_each_in_each_language(app: BotApp) -> None:
    await _people(app)
    messenger = BlockingMessenger(app.clock)
    app.add_messenger(messenger)
    await _active(app, messenger)
    await say(app, "ana", "/mentor goal 1 first campaign plan")
    await say(app, "karl", "/mentor until 1 2027-03-31")  # 18:00 in Lusaka, 16:00 UTC
    async with app.database.unit_of_work() as uow:
        [ana] = await uow.members.by_name("Ana", EVERYONE)
        ana.timezone = "Pacific/Kiritimati"  # UTC+14: already the next morning for Ana
    clock = app.clock
    assert isinstance(clock, ManualClock)
    assert await mentoring.follow_mentorships(app, clock.now()) == 0  # too early
    clock.advance(CHECKIN_EVERY + timedelta(hours=1))
    assert await mentoring.follow_mentorships(app, clock.now()) == 1
    assert await mentoring.follow_mentorships(app, clock.now()) == 0  # the same sweep again
    await Dispatcher(app).run_due()
    [ana_checkin] = [d for d in messenger.sent if d.recipient.chat_id == "ana" and d.reply.buttons]
    assert "Comment se passe votre mentorat avec Karl" in ana_checkin.text
    assert "first campaign plan" in ana_checkin.text
    assert "Il se termine le jeu. 1 avr. 2027." in ana_checkin.text  # each reads it in her zone
    assert any("It ends on Wed, 31 Mar 2027." in t for t in messenger.to("karl"))
    [[well, help_, stopped]] = ana_checkin.reply.buttons
    assert well.action == "mentor checkin 1 1 well" and stopped.action.endswith("stopped")
    karl_checkins = [t for t in messenger.to("karl") if "How is your mentorship with Ana" in t]
    assert len(karl_checkins) == 1

    # "need help" alerts the community's admin once, however often it is tapped
    assert "administration est prévenue" in texts(await say(app, "ana", "/" + help_.action))
    await say(app, "ana", "/" + help_.action)
    await Dispatcher(app).run_due()
    alerts = [t for t in messenger.to("lena") if "Ana asks for help with mentorship #1" in t]
    assert len(alerts) == 1
    assert "no such check-in" in texts(await say(app, "karl", "/mentor checkin 1 2 well"))
    assert "Wonderful" in texts(await say(app, "karl", "/" + well.action))

    clock.advance(CHECKIN_EVERY)
    assert await mentoring.follow_mentorships(app, clock.now()) == 1
    await Dispatcher(app).run_due()
    assert len([t for t in messenger.to("karl") if "How is your mentorship" in t]) == 2
    async with app.database.unit_of_work() as uow:
        answers = (await uow.session.scalars(select(MentorCheckin))).all()
    assert Counter(a.answer for a in answers) == {CheckinAnswer.HELP: 1, CheckinAnswer.WELL: 1}


async def test_we_stopped_cancels_and_asks_feedback_end_date_completes(app: BotApp) -> None:
    await _people(app)
    messenger = BlockingMessenger(app.clock)
    app.add_messenger(messenger)
    await _active(app, messenger)
    clock = app.clock
    assert isinstance(clock, ManualClock)
    assert "when the mentorship is closed" in texts(await say(app, "karl", "/mentor feedback 1 5"))
    clock.advance(CHECKIN_EVERY + timedelta(hours=1))
    await mentoring.follow_mentorships(app, clock.now())
    assert "mentorship is closed" in texts(await say(app, "karl", "/mentor checkin 1 1 stopped"))
    assert (await _mentorship(app, 1)).status == MentorshipStatus.CANCELLED
    await Dispatcher(app).run_due()
    [ask] = [
        d for d in messenger.sent
        if d.recipient.chat_id == "ana" and d.reply.buttons
        and d.reply.buttons[0][0].action.startswith("mentor feedback")
    ]  # fmt: skip
    assert "Votre mentorat avec Karl s’est arrêté." in ask.text
    assert [b.action for b in ask.reply.buttons[0]][-1] == "mentor feedback 1 5"
    assert "de 1 à 5" in texts(await say(app, "ana", "/mentor feedback 1 7"))
    assert "Merci pour votre avis" in texts(
        await say(app, "ana", "/mentor feedback 1 4 Karl m'a beaucoup aidée")
    )
    await say(app, "ana", "/mentor feedback 1 5")  # a second tap changes the rating, keeps the line
    async with app.database.unit_of_work() as uow:
        [given] = (await uow.session.scalars(select(MentorFeedback))).all()
    assert (given.rating, given.note) == (5, "Karl m'a beaucoup aidée")

    # a second mentorship runs to its end date: completed, feedback asked once
    await say(app, "bea", "/mentor request legal quotas")
    async with app.database.unit_of_work() as uow:
        [bea] = await uow.members.by_name("Bea", EVERYONE)
        bea.languages = ["fr"]
    await say(app, "sofia", "/mentor propose")
    await say(app, "sofia", "/mentor approve")
    async with app.database.unit_of_work() as uow:
        second = await uow.session.scalar(select(Mentorship).where(Mentorship.id != 1))
        assert second is not None
        second_id, mentor_id = second.id, second.mentor_id
    mentor_name = "grace" if mentor_id != (await _mentorship(app, 1)).mentor_id else "karl"
    await say(app, mentor_name, f"/mentor accept {second_id}")
    clock.advance(timedelta(days=200))
    await mentoring.follow_mentorships(app, clock.now())
    await mentoring.follow_mentorships(app, clock.now())
    assert (await _mentorship(app, second_id)).status == MentorshipStatus.COMPLETED
    await Dispatcher(app).run_due()
    done = [t for t in messenger.to("bea") if "is complete" in t]
    assert len(done) == 1


async def test_a_restart_in_the_middle_sends_no_check_in_twice(
    tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    app = await BotApp.start(settings, clock=clock)
    await _people(app)
    first = BlockingMessenger(clock)
    app.add_messenger(first)
    await _active(app, first)
    clock.advance(CHECKIN_EVERY + timedelta(hours=1))
    assert await mentoring.follow_mentorships(app, clock.now()) == 1
    await app.close()  # stops before the check-ins went out

    restarted = await BotApp.start(settings, clock=clock)
    assert await mentoring.follow_mentorships(restarted, clock.now()) == 0
    second = BlockingMessenger(clock)
    restarted.add_messenger(second)
    await Dispatcher(restarted).run_due()
    await Dispatcher(restarted).run_due()
    checkins = Counter(d.recipient.chat_id for d in second.sent if d.reply.buttons)
    assert checkins == {"ana": 1, "karl": 1}
    async with restarted.database.unit_of_work() as uow:
        keys = await uow.session.scalar(
            select(func.count()).where(OutboxMessage.kind == "mentor.checkin")
        )
    assert keys == 2
    await restarted.close()
