"""A call for speakers through the real discord.py against the loopback Discord.

The admin posts it with the slash command; the invitation reaches the matching champions' DMs
and the announcements channel with its button; three of them volunteer with it (two from their
DMs, one from the channel, answered for his eyes only); the admin picks one with the slash
command; the bot restarts before anything is sent; then the chosen hears it once and becomes
the webinar's speaker while the two others are thanked once each. Every call is checked
against Discord's rules."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import BotApp
from bot.delivery.dispatcher import Dispatcher
from storage.models import AuditEntry, Event
from storage.repositories.members import EVERYONE
from storage.statuses import ChatPurpose
from tests.adapters.discord.conftest import Starter, answers, ephemeral, text_of
from tests.adapters.discord.hostile import as_read
from tests.fakes.discord import FakeDiscord
from tests.helpers import say

EXPERTISE = {"Amina": ["legal_quotas"], "Lina": ["legal_quotas", "gbv"],
             "Omar": ["legal_quotas"], "Karim": ["gbv"]}  # fmt: skip
LANGUAGE = {"Lina": "fr"}


def dm(user_id: str) -> str:
    """The fake's DM channel with a user."""
    return f"9{user_id[1:]}"


async def champions(app: BotApp, people: dict[str, str]) -> None:
    """Discord champions of the default community, with their expertise and language."""
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for name, user_id in people.items():
            member = await uow.members.create(
                display_name=name, platform="discord", platform_user_id=user_id,
                username=None, language=LANGUAGE.get(name, "en"), now=now,
            )  # fmt: skip
            member.expertise = EXPERTISE[name]
            await uow.communities.set_role(community, member, "champion", now)


def read(markdown: str) -> str:
    """What a person reads: Discord's escapes undone and the bold/italic marks gone."""
    return as_read(markdown).replace("**", "").replace("*", "")


def to(fake: FakeDiscord, user_id: str) -> list[str]:
    return [read(s.content) for s in fake.sent if s.channel_id == dm(user_id)]


def invitation(fake: FakeDiscord, user_id: str) -> dict[str, Any]:
    """The last message in the user's DM that has buttons, as the fake keeps it."""
    sent = next(
        s for s in reversed(fake.sent) if s.channel_id == dm(user_id) and s.body.get("components")
    )
    return fake.messages[sent.message_id]


def in_the_open(fake: FakeDiscord, channel: str) -> list[str]:
    """What everybody in the channel reads (ephemeral answers left out)."""
    return [s.content for s in fake.sent if s.channel_id == channel and not ephemeral(s.body)]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in message["components"] for b in row["components"]]


async def deliver(app: BotApp, fake: FakeDiscord) -> None:
    report = await Dispatcher(app).run_due()
    assert report.failed == 0 and report.retried == 0, report
    await fake.settle(quiet=0.1)


async def in_dm(
    fake: FakeDiscord, user_id: str, data: dict[str, Any], kind: int, **more: Any
) -> str:
    """Run an interaction in the user's DM; what it answered. A core slower than the defer delay
    (a loaded machine) answers "thinking", then posts in the DM: that is waited for too."""
    before = len(fake.sent)
    done = await fake.run_interaction(fake.interaction(user_id, kind, data, dm=True, **more))

    def posted() -> str:
        later = fake.sent[before:]
        return "\n".join(
            s.content for s in later if s.kind == "message" and s.channel_id == dm(user_id)
        )

    await fake.wait_for(lambda: text_of(done) or posted())
    await fake.settle(quiet=0.05)
    return read(text_of(done) + posted())


async def slash(fake: FakeDiscord, user_id: str, *words: str, **options: Any) -> str:
    return await in_dm(fake, user_id, fake.command_data(*words, options=options), 2)


async def test_a_call_for_speakers_on_discord(fake: FakeDiscord, start_bot: Starter) -> None:
    boss = fake.add_user("Boss")
    people = {name: fake.add_user(name, locale=LANGUAGE.get(name, "en-US")) for name in EXPERTISE}
    first = await start_bot(admins=(boss,))
    app = first.app
    await champions(app, people)
    start = (app.clock.now() + timedelta(days=20)).strftime("%Y-%m-%d 15:00")
    deadline = (app.clock.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")
    await say(app, "boss", f'/webinar add "Quotas clinic" {start} UTC 60m', admin=True)
    [channel] = [c for c, data in fake.channels.items() if data["name"] == "general"]
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        await uow.communities.link_chat(
            community, platform="discord", chat_id=channel, purpose=ChatPurpose.ANNOUNCEMENTS
        )

    posted = await slash(
        fake, boss, "call", "add",
        kind="speaker", deadline=deadline, title="Speak at the clinic",
        details="event=1 themes=quotas Ten minutes on your council's experience",
    )  # fmt: skip
    assert "Call #1 is posted." in posted
    assert "Sent privately to 3 matching champions and 1 chat." in posted
    await deliver(app, fake)
    [post] = [s for s in fake.sent if s.channel_id == channel]
    assert [b["custom_id"] for b in buttons(fake.messages[post.message_id])] == ["call volunteer 1"]
    assert to(fake, people["Karim"]) == []  # his expertise is another theme
    invited = {name: invitation(fake, people[name]) for name in ("Amina", "Lina", "Omar")}
    assert read(invited["Amina"]["content"]).startswith("Call for contributors: Speak at")
    assert read(invited["Lina"]["content"]).startswith("Appel à contributions : Speak at")
    assert [b["label"] for b in buttons(invited["Lina"])] == ["Je me porte volontaire"]
    data = {"custom_id": "call volunteer 1", "component_type": 2}
    for name in ("Amina", "Lina"):  # from the button of their private invitation
        message = invited[name]
        assert [b["custom_id"] for b in buttons(message)] == ["call volunteer 1"]
        said = await in_dm(fake, people[name], data, 3, message=message)
        assert "You volunteered for “Speak at the clinic”" in said or (
            "Votre candidature pour « Speak at the clinic » est enregistrée" in said
        )
    # Omar volunteers from the button under the channel's post: only he reads the answer.
    public = len(in_the_open(fake, channel))
    pressed = await fake.run_interaction(
        fake.interaction(
            people["Omar"], 3, data, channel_id=channel, message=fake.messages[post.message_id]
        )
    )
    await fake.wait_for(lambda: "You volunteered" in read(text_of(pressed)))  # even deferred
    await fake.settle(quiet=0.05)
    assert "You volunteered for “Speak at the clinic”" in read(text_of(pressed))
    assert all(ephemeral(body) for body in answers(pressed))
    assert len(in_the_open(fake, channel)) == public

    shown = await slash(fake, boss, "call", "volunteers", id="1")
    assert all(name in shown for name in ("Amina", "Lina", "Omar")) and "Karim" not in shown
    picked = await slash(fake, boss, "call", "pick", id="1", members="Amina")
    assert "Chosen for “Speak at the clinic”: Amina. 2 other volunteers" in picked
    before = {user_id: len(to(fake, user_id)) for user_id in people.values()}
    await first.stop()  # the bot stops after the pick, before anything is sent

    second = await start_bot(admins=(boss,))
    await deliver(second.app, fake)
    await deliver(second.app, fake)
    news = {name: to(fake, people[name])[before[people[name]] :] for name in people}
    told = Counter(
        name
        for name, texts in news.items()
        for text in texts
        if any(word in text for word in ("chosen", "volunteer", "volontaire", "candidature"))
    )
    assert told == {"Amina": 1, "Lina": 1, "Omar": 1}  # once each, across the restart
    [chosen] = news["Amina"]
    assert chosen.startswith("You were chosen") and "speaker at “Quotas clinic”" in chosen
    assert news["Lina"][0].startswith("Merci pour votre candidature")
    assert news["Omar"][0].startswith("Thank you for volunteering")
    async with second.app.database.unit_of_work() as uow:
        event = await uow.session.get(Event, 1)
        [amina] = await uow.members.by_name("Amina", EVERYONE)
        audit = (await uow.session.scalars(select(AuditEntry.action))).all()
    assert event is not None and event.speakers == [amina.id]
    assert "call.add" in audit and "call.pick" in audit
