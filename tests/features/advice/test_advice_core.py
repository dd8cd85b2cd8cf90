"""Peer advice through the core: mirrors, relays, routing, anonymity, solved, nudges."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.config import AdviceConfig, ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import (
    Actor,
    Place,
    PlaceKind,
    Platform,
    Recipient,
    Reply,
    Request,
    RequestKind,
    SentMessage,
)
from bot.delivery.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import ROOM, say, texts

TG_FORUM = "-100777"
DC_FORUM = "555"


class ForumMessenger(RecordingMessenger):
    """Like a platform: a message that opens a thread comes back with the new thread's id."""

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        sent = await super().send(recipient, reply)
        thread = f"topic-{len(self.sent)}" if reply.open_thread else recipient.thread_id
        return SentMessage(sent.platform, sent.chat_id, sent.message_id, thread)


def thread_status(reply: Reply) -> str | None:
    """The thread state a reply shows, if any (``solved``, ``closed``, ``open``, ``deleted``)."""
    return reply.thread.status if reply.thread else None


World = tuple[BotApp, Dispatcher, dict[str, ForumMessenger]]
"""The running app, its dispatcher, and each platform's forum messenger by name."""


@pytest.fixture
async def world(tmp_path: Path, clock: ManualClock) -> AsyncIterator[World]:
    community = CommunityConfig(
        chats=(
            ChatLink(platform="telegram", chat_id=TG_FORUM, purpose="advice"),
            ChatLink(platform="discord", chat_id=DC_FORUM, purpose="advice"),
        )
    )
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'advice.db'}",
        community=community,
        advice=AdviceConfig(daily_notice_cap=1, unanswered_hours=48),
    )
    app = await BotApp.start(settings, clock=clock)
    messengers = {p.value: ForumMessenger(clock, platform=p) for p in Platform}
    for messenger in messengers.values():
        app.add_messenger(messenger)
    # The people of the week: Grace knows harassment, Moana budgets, Lucía asks nothing yet.
    profiles = {
        "amina": "Tunisia", "grace": "Zambia", "moana": "Cook Islands", "lucia": "Colombia",
    }  # fmt: skip
    for name, country in profiles.items():
        await say(app, name, f"/profile set country {country}")
    await say(app, "grace", "/profile set expertise gbv, political_participation")
    await say(app, "moana", "/profile set expertise gender_budgeting")
    await say(app, "lucia", "/profile set expertise gbv")
    for name in ("grace", "moana", "lucia"):
        await say(app, "sofia", f"/champion approve {name}")
    yield app, Dispatcher(app), messengers
    await app.close()


QUESTION = (
    "anonymous How do other councils protect women candidates from online harassment? "
    "We see a wave of abuse before the municipal elections. #gbv"
)


def every_text(messengers: dict[str, ForumMessenger]) -> str:
    return "\n".join(d.text for m in messengers.values() for d in m.sent)


async def test_question_is_mirrored_routed_answered_relayed_and_solved(world: World) -> None:
    app, dispatcher, messengers = world
    replies = await say(app, "amina", "/ask " + QUESTION)
    assert "Your question Q1 is posted." in texts(replies)
    assert "Matching champions told: 2" in texts(replies)
    await dispatcher.run_due()
    telegram, discord, console = (
        messengers["telegram"],
        messengers["discord"],
        messengers["console"],
    )
    assert [d.recipient.chat_id for d in telegram.sent] == [TG_FORUM]
    assert [d.recipient.chat_id for d in discord.sent] == [DC_FORUM]
    assert str(telegram.sent[0].reply.open_thread).startswith("Q1 · How do other councils")
    told = sorted(d.recipient.chat_id for d in console.sent)
    assert told == ["grace", "lucia"]  # Moana's expertise does not match
    assert all(d.recipient.private for d in console.sent)

    # Grace answers in the Discord post; the answer reaches the Telegram topic and Amina.
    grace = Actor(Platform.DISCORD, "g-1", "Grace")
    await say(app, "grace", "/start")  # her console account exists; link a Discord one:
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", "grace")
        assert member is not None
        from storage.models import Account

        uow.session.add(Account(member_id=member.id, platform="discord", platform_user_id="g-1",
                                created_at=app.clock.now()))  # fmt: skip
    post = Place(Platform.DISCORD, DC_FORUM, PlaceKind.FORUM, thread_id="topic-1")
    text = "We ran a reporting hotline with the national electoral body; it worked."
    for _ in range(2):  # the same gateway event delivered twice
        await app.handle(Request(grace, post, RequestKind.TEXT, text=text, update_id="dc-77"))
    await dispatcher.run_due()
    relayed = [d for d in telegram.sent if "hotline" in d.text]
    assert len(relayed) == 1
    assert relayed[0].recipient.thread_id == "topic-1"  # the Telegram topic opened for Q1
    assert (
        "Grace (East and Southern Africa, via Discord): We ran a reporting hotline"
        in relayed[0].text
    )
    first = [d for d in console.sent if d.recipient.chat_id == "amina"]
    assert len(first) == 1 and "Your question Q1 has its first answer." in first[0].text
    assert not [d for d in discord.sent if "hotline" in d.text]  # not echoed where it was written

    # Only the asker (or an admin) marks it solved; every mirror shows it.
    assert "Only the person who asked" in texts(await say(app, "lucia", "/solved Q1 1"))
    assert "marked solved" in texts(await say(app, "amina", "/solved Q1 1"))
    await dispatcher.run_due()
    for messenger in (telegram, discord):
        state = [d for d in messenger.sent if thread_status(d.reply) == "solved"]
        assert len(state) == 1 and "✅ Grace" in state[0].text
    thread = texts(await say(app, "lucia", "/thread 1"))
    assert "solved" in thread and "hotline" in thread

    # Anonymous means anonymous: nothing any member was sent or shown names Amina.
    shown = every_text(messengers) + texts(await say(app, "lucia", "/threads all"))
    shown += texts(await say(app, "lucia", "/search_advice harassment candidates"))
    assert "Amina" not in shown and "a member (anonymous)" in shown
    moderator = await say(app, "sofia", "/thread Q1")
    assert "Moderators only: asked by Amina" in texts(moderator)
    assert moderator[0].destination.value == "ephemeral"


async def test_daily_cap_and_opt_out(world: World) -> None:
    app, dispatcher, messengers = world
    await say(app, "lucia", "/advice_notices off")
    await say(app, "amina", "/ask How do we fund women's campaigns for local elections? #gbv")
    await say(app, "amina", "/ask Which quotas worked for municipal councils in your country? #gbv")
    await dispatcher.run_due()
    notices = [d.recipient.chat_id for d in messengers["console"].sent]
    assert notices == ["grace"]  # one a day for Grace; Lucía opted out


async def test_unanswered_question_is_re_announced_and_admins_told(
    world: tuple[BotApp, Dispatcher, dict[str, ForumMessenger]], clock: ManualClock
) -> None:
    app, dispatcher, messengers = world
    await say(app, "amina", "/ask How do councils run gender budgeting pilots? #gender_budgeting")
    await dispatcher.run_due()
    [job] = [j for j in app.registry.periodic_jobs if j.__name__ == "nudge_unanswered"]
    assert await job(app, clock.now() + timedelta(hours=47)) == 0
    clock.advance(timedelta(hours=49))
    assert await job(app, clock.now()) == 1
    assert await job(app, clock.now()) == 0  # once only
    await dispatcher.run_due()
    console = messengers["console"].sent
    moana = [d for d in console if d.recipient.chat_id == "moana"]
    assert len(moana) == 2 and "still waiting for an answer" in moana[1].text


async def test_bad_input_changes_nothing(world: World) -> None:
    app, dispatcher, messengers = world
    assert "in a sentence or more" in texts(await say(app, "amina", "/ask Help?"))
    assert "I don't know the theme #astrology" in texts(
        await say(app, "amina", "/ask Which astrology works for elections? #astrology")
    )
    assert "To stay anonymous, ask me in a private chat" in texts(
        await say(app, "amina", "/" + "ask " + QUESTION, place=ROOM)
    )
    assert "There is no question Q9" in texts(await say(app, "grace", "/answer Q9 Hello there"))
    assert "not a question number" in texts(await say(app, "grace", "/thread banana"))
    await dispatcher.run_due()
    assert every_text(messengers) == ""
    assert "No questions match" in texts(await say(app, "lucia", "/threads all"))


async def test_ask_as_a_conversation(world: World) -> None:
    app, _dispatcher, _messengers = world
    assert "What would you like to ask" in texts(await say(app, "amina", "/ask"))
    reply = await say(app, "amina", "How did you get your council to adopt a parity rule? #quotas")
    assert reply[0].buttons[0][0].action == "=yes"
    done = texts(await say(app, "amina", "no"))
    assert "Your question Q1 is posted." in done and "anonymous" not in done
    listing = texts(await say(app, "grace", "/threads open legal_quotas"))
    assert "Q1" in listing and "parity rule" in listing
    assert "Open one with /thread Q1." in listing  # a number that exists, not an example
    found = texts(await say(app, "grace", "/search_advice parity", locale="fr"))
    assert "Ouvrez-en une avec /thread Q1." in found


async def test_moderators_close_reopen_retheme_and_delete(world: World) -> None:
    app, dispatcher, messengers = world
    await say(app, "amina", "/ask Which quotas worked for municipal councils in your country? #gbv")
    await dispatcher.run_due()
    assert "for the network's admins" in texts(await say(app, "amina", "/thread close Q1"))
    assert "now closed" in texts(await say(app, "sofia", "/thread close Q1"))
    assert "is closed; it takes no more answers" in texts(await say(app, "grace", "/answer Q1 Hi"))
    assert "now open" in texts(await say(app, "sofia", "/thread reopen Q1"))
    assert "updated" in texts(
        await say(app, "sofia", "/thread themes Q1 #quotas #political_participation")
    )
    assert "Q1" in texts(await say(app, "grace", "/threads open legal_quotas"))
    assert "now deleted" in texts(await say(app, "sofia", "/thread delete Q1"))
    await dispatcher.run_due()
    for platform in ("telegram", "discord"):
        states = [thread_status(d.reply) for d in messengers[platform].sent]
        assert states[1:] == ["closed", "open", "deleted"]
    assert "There is no question Q1" in texts(await say(app, "grace", "/thread Q1"))
    assert "No questions match" in texts(await say(app, "grace", "/threads all"))


async def test_an_anonymous_asker_stays_anonymous_when_following_up(world: World) -> None:
    app, dispatcher, messengers = world
    await say(app, "amina", "/ask " + QUESTION)
    await say(app, "amina", "/answer Q1 Update: it got worse after the debate on TV.")
    await say(app, "grace", "/answer Q1 We ran a reporting hotline with the electoral body.")
    await dispatcher.run_due()
    shown = every_text(messengers)
    shown += texts(await say(app, "lucia", "/thread Q1", place=ROOM))
    mine = await say(app, "amina", "/threads mine", place=ROOM)
    assert mine[0].destination.value == "ephemeral"  # a group never learns whose they are
    solved = await say(app, "amina", "/solved Q1 2", place=ROOM)
    assert solved[0].destination.value == "ephemeral"
    group_view = await say(app, "amina", "/thread Q1", place=ROOM)
    assert group_view[0].buttons == ()  # no "Mark solved" button that only the asker gets
    assert "Amina" not in shown and "the asker (anonymous): Update" in shown
    notices = [d for d in messengers["console"].sent if d.recipient.chat_id == "amina"]
    assert len(notices) == 1 and "first answer" in notices[0].text  # Grace's, not her own


async def test_an_unclear_answer_to_the_anonymity_question_asks_again(world: World) -> None:
    app, _dispatcher, _messengers = world
    await say(app, "amina", "/ask")
    await say(app, "amina", "How do councils protect women candidates from online abuse? #gbv")
    assert "Please answer yes or no." in texts(await say(app, "amina", "anonymous please"))
    assert "It is anonymous" in texts(await say(app, "amina", "yes"))


async def test_after_downtime_questions_and_answers_are_still_delivered(
    world: tuple[BotApp, Dispatcher, dict[str, ForumMessenger]], clock: ManualClock
) -> None:
    app, dispatcher, messengers = world
    await say(app, "amina", "/ask How do councils protect women candidates from online abuse? #gbv")
    clock.advance(timedelta(hours=3))  # the bot was down longer than the reminders' grace window
    report = await dispatcher.run_due()
    assert report.missed == 0
    assert [d.recipient.chat_id for d in messengers["telegram"].sent] == [TG_FORUM]
