"""Mentoring: offers and requests, proposals with reasons honouring capacity, bans and language,
the admins' approval, the mentor's answer within a deadline, and the next choice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.delivery.dispatcher import Dispatcher
from bot.features.mentoring import commands as mentoring
from bot.features.mentoring.assign import Mentee, Mentor, assign
from storage.models_networking import Mentorship
from storage.repositories.members import EVERYONE
from storage.statuses import MentorshipStatus
from tests.features.networking.world import BlockingMessenger, add_champions
from tests.helpers import say, texts


def test_assignment_honours_capacity_bans_and_language() -> None:
    mentors = [
        Mentor(1, frozenset({"legal_quotas"}), frozenset({"fr", "en"}), capacity=2),
        Mentor(2, frozenset({"gbv"}), frozenset({"es"}), capacity=1),
    ]
    mentees = [
        Mentee(10, 5, frozenset({"legal_quotas"}), frozenset({"fr"})),
        Mentee(11, 6, frozenset({"gbv"}), frozenset({"es"})),
        Mentee(12, 7, frozenset(), frozenset({"ar"})),  # nobody speaks Arabic: no mentor
        Mentee(13, 8, frozenset(), frozenset({"en"})),
        Mentee(14, 9, frozenset(), frozenset({"en", "es"})),
    ]
    proposals = assign(mentors, mentees, bans=[frozenset((1, 8))])
    got = {p.request_id: p.mentor_id for p in proposals}
    assert got[10] == 1 and got[11] == 2 and 12 not in got and 13 not in got
    assert got[14] == 1  # mentor 2 is full; mentor 1 has a second slot
    assert sum(1 for m in got.values() if m == 1) <= 2
    [first] = [p for p in proposals if p.request_id == 10]
    assert first.reason.language == "fr" and first.reason.themes == ("legal_quotas",)


async def _people(app: BotApp) -> None:
    await add_champions(app, ("ana", "grace", "karl", "bea"), join=False)
    async with app.database.unit_of_work() as uow:
        for name, languages in (("Ana", ["fr"]), ("Grace", ["fr", "en"]), ("Karl", ["fr"]),
                                ("Bea", ["ar"])):  # fmt: skip
            [member] = await uow.members.by_name(name, EVERYONE)
            member.languages = languages


async def _mentorships(app: BotApp) -> list[Mentorship]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Mentorship).order_by(Mentorship.id))).all())


async def test_propose_approve_decline_next_choice_accept(app: BotApp) -> None:
    await _people(app)
    messenger = BlockingMessenger(app.clock)
    app.add_messenger(messenger)
    assert "Thank you" in texts(
        await say(app, "grace", "/mentor offer 1 6 quotas, campaign finance")
    )
    await say(app, "karl", "/mentor offer 2 3 gender budgeting")
    await say(app, "ana", "/mentor request first campaign, legal quotas, fundraising")
    await say(app, "bea", "/mentor request quotas")  # speaks only Arabic: nobody fits
    preview = texts(await say(app, "sofia", "/mentor propose"))
    assert "Grace → Ana" in preview and "both speak French" in preview
    assert "strong on Legal barriers and quotas" in preview and "Bea" not in preview
    assert "1 mentor asked." in texts(await say(app, "sofia", "/mentor approve"))
    await Dispatcher(app).run_due()
    [ask] = [d for d in messenger.sent if d.recipient.chat_id == "grace"]
    assert "Would you mentor Ana?" in ask.text
    [[accept, decline]] = ask.reply.buttons
    assert "Understood" in texts(await say(app, "grace", "/" + decline.action))
    await Dispatcher(app).run_due()
    [ask_karl] = [d for d in messenger.sent if d.recipient.chat_id == "karl"]
    assert "Would you mentor Ana?" in ask_karl.text  # the next choice is asked
    assert "no longer open" in texts(await say(app, "grace", "/" + accept.action))
    [[karl_accept, _]] = ask_karl.reply.buttons
    assert "Ana is told" in texts(await say(app, "karl", "/" + karl_accept.action))
    await Dispatcher(app).run_due()
    assert any("Karl will be your mentor." in d.text for d in messenger.sent
               if d.recipient.chat_id == "ana")  # fmt: skip
    states = [m.status for m in await _mentorships(app)]
    assert states == [MentorshipStatus.CANCELLED, MentorshipStatus.ACTIVE]


async def test_silence_past_the_deadline_asks_the_next_choice(
    app: BotApp, clock: ManualClock
) -> None:
    await _people(app)
    await say(app, "grace", "/mentor offer 1 6 legal quotas")
    await say(app, "karl", "/mentor offer 1 6 legal quotas")
    await say(app, "ana", "/mentor request legal quotas")
    await say(app, "sofia", "/mentor propose")
    await say(app, "sofia", "/mentor approve")
    clock.advance(timedelta(days=8))
    assert await mentoring.expire_unanswered(app, app.clock.now()) == 1
    first, second = await _mentorships(app)
    assert first.status == MentorshipStatus.CANCELLED
    assert second.status == MentorshipStatus.PROPOSED and second.asked_at is not None
    assert first.mentor_id != second.mentor_id


async def test_a_ban_drops_the_proposal_for_good(app: BotApp) -> None:
    await _people(app)
    await say(app, "grace", "/mentor offer 1 6 legal quotas")
    await say(app, "ana", "/mentor request legal quotas")
    await say(app, "sofia", "/mentor propose")
    assert "will not be proposed again" in texts(await say(app, "sofia", "/mentor ban 1"))
    assert "No proposal" in texts(await say(app, "sofia", "/mentor propose"))
