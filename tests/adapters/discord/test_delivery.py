"""Where messages go, what they may ping, and that nothing is lost or sent twice."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.i18n import N_
from bot.core.messages import Attachment, Button, Platform, Recipient, Reply
from bot.core.richtext import doc, line
from storage.models import AuditEntry
from tests.adapters.discord.conftest import Starter, answers, ephemeral, text_of
from tests.adapters.discord.hostile import HOSTILE, as_read, pings
from tests.adapters.discord.test_commands_declared import add_admin_command
from tests.fakes.discord import FakeDiscord

ROLE_ID = "1000000000000000777"


async def test_background_sends_reach_channels_threads_forums_and_dms(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    forum = fake.new_id()
    fake.add_channel(forum, "advice", 15)
    amina = fake.add_user("Amina")
    running = await start_bot(advice_forum_id=forum)
    messenger = running.app.messengers[Platform.DISCORD]
    ics = Attachment("webinar.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    post = Reply(
        body=doc(line("Quotas in local councils"), "Any experience with quotas?"),
        buttons=((Button("I can help", "help"),),),
        attachments=(ics,),
    )
    created = await messenger.send(Recipient(Platform.DISCORD, forum), post)
    [opening] = [s for s in fake.sent if s.kind == "forum_post"]
    assert created.thread_id == opening.channel_id and created.chat_id == forum
    assert fake.channels[opening.channel_id]["name"] == "Quotas in local councils"
    assert opening.files == [("webinar.ics", ics.data)]
    assert opening.body["components"][0]["components"][0]["custom_id"] == "help"

    in_thread = await messenger.send(
        Recipient(Platform.DISCORD, forum, thread_id=created.thread_id), Reply.text("A reply")
    )
    assert fake.sent[-1].channel_id == created.thread_id and fake.sent[-1].content == "A reply"
    assert in_thread.thread_id == created.thread_id

    await messenger.send(Recipient(Platform.DISCORD, amina, private=True), Reply.text("Psst"))
    assert ("POST", "/users/@me/channels", {"recipient_id": int(amina)}) in fake.requests
    assert fake.channels[fake.sent[-1].channel_id]["type"] == 1  # a DM channel
    assert all(
        s.body.get("allowed_mentions") == {"parse": []} for s in fake.sent if s.kind == "message"
    )


async def test_only_an_announcement_may_ping_the_configured_role(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    running = await start_bot(announcement_role_id=ROLE_ID)
    messenger = running.app.messengers[Platform.DISCORD]
    general = Recipient(Platform.DISCORD, fake.general)
    await messenger.send(general, Reply(body=doc("Webinar tomorrow"), ping_role=True))
    announcement = fake.sent[-1].body
    assert announcement["content"].startswith(f"<@&{ROLE_ID}>\n")
    assert announcement["allowed_mentions"] == {"parse": [], "roles": [int(ROLE_ID)]}
    await messenger.send(general, Reply.text(f"<@&{ROLE_ID}> @everyone"))
    ordinary = fake.sent[-1].body
    assert ordinary["allowed_mentions"] == {"parse": []} and not pings(ordinary["content"])


async def test_ten_thousand_hostile_characters_arrive_whole_safe_and_in_order(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    running = await start_bot()
    text = ((HOSTILE + "\n") * 60)[:10_000]
    messenger = running.app.messengers[Platform.DISCORD]
    await messenger.send(Recipient(Platform.DISCORD, fake.general), Reply.text(text))
    pieces = [s.content for s in fake.sent]
    assert len(pieces) >= 5  # the fake checked each against the 2000-character limit
    assert all(s.body["allowed_mentions"] == {"parse": []} for s in fake.sent)
    assert not any(pings(p) for p in pieces)
    assert "\n".join(as_read(p) for p in pieces) == text.rstrip("\n")


async def test_rate_limits_are_waited_out_and_nothing_is_sent_twice(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    running = await start_bot()
    fake.rate_limit("POST", r"^/channels/\d+/messages$", retry_after=0.2)
    messenger = running.app.messengers[Platform.DISCORD]
    await messenger.send(Recipient(Platform.DISCORD, fake.general), Reply.text("Reminder"))
    assert len(fake.rate_limited) == 1
    assert [s.content for s in fake.sent] == ["Reminder"]

    fake.rate_limit("POST", r"/callback$", retry_after=0.2)
    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("help")))
    await fake.settle(quiet=0.1)
    assert len(fake.rate_limited) == 2
    assert len(asked.callbacks) == 1 and "What I can do for you" in text_of(asked)


async def test_a_dropped_gateway_resumes_and_misses_nothing_nor_repeats(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    admin = fake.add_user("Sofia")
    running = await start_bot(registry_hook=add_admin_command, admins=(admin,))
    await fake.drop_connection()
    missed = fake.interaction(admin, 2, fake.command_data("secret"))
    await fake.dispatch("INTERACTION_CREATE", missed.payload)  # while the bot is away
    await fake.wait_connected()
    await asyncio.wait_for(missed.answered.wait(), 10)  # replayed, then answered (even if slow)
    await fake.settle(quiet=0.1)
    assert len(fake.identifies) == 1 and len(fake.resumes) == 1
    assert fake.resumes[0]["session_id"] == fake.session_id
    assert "Secret done." in text_of(missed)

    await fake.dispatch("INTERACTION_CREATE", missed.payload)  # delivered a second time
    await fake.settle(quiet=0.1)
    assert len(missed.callbacks) == 1 and missed.followups == []
    async with running.app.database.unit_of_work() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(AuditEntry))
    assert count == 1


def _echo_listener(app: BotApp) -> None:
    async def echo(ctx: Any) -> Reply:
        return ctx.reply(line("Heard: ", ctx.request.text))

    app.registry.listener(echo)


async def test_messages_in_watched_threads_are_answered_in_the_thread(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    forum, elsewhere = fake.new_id(), fake.new_id()
    fake.add_channel(forum, "advice", 15)
    fake.add_channel(elsewhere, "random", 0)
    thread = fake.new_id()
    fake.add_channel(thread, "Quotas?", 11, parent_id=forum)
    amina = fake.add_user("Amina")
    await start_bot(registry_hook=_echo_listener, advice_forum_id=forum, read_thread_replies=True)
    assert fake.identifies[0]["intents"] & (1 << 15)  # message content, as configured

    await fake.dispatch("MESSAGE_CREATE", fake.message_event(amina, elsewhere, "hello"))
    event = fake.message_event(amina, thread, "We used a 40% quota **in 2019** @everyone")
    await fake.dispatch("MESSAGE_CREATE", event)
    await fake.wait_for(lambda: fake.sent)
    await fake.settle(quiet=0.1)  # and nothing else (the message elsewhere is not answered)
    [answer] = fake.sent
    assert answer.channel_id == thread
    assert str(answer.body["message_reference"]["message_id"]) == event["id"]
    assert as_read(answer.content) == "Heard: We used a 40% quota **in 2019** @everyone"
    assert not pings(answer.content)


async def _last_reply_says(fake: FakeDiscord, text: str, within: float = 10.0) -> None:
    """Wait for the reply (a fixed quiet period is too short on a loaded machine)."""
    for _ in range(int(within / 0.05)):
        if fake.sent and text in fake.sent[-1].content:
            return
        await asyncio.sleep(0.05)
    assert fake.sent and text in fake.sent[-1].content


async def test_direct_messages_carry_answers_and_typed_commands(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    running = await start_bot()
    assert not fake.identifies[0]["intents"] & (1 << 15)  # no privileged intent by default
    dm = f"9{amina[1:]}"
    await fake.dispatch("MESSAGE_CREATE", fake.message_event(amina, dm, "/start", guild=False))
    await _last_reply_says(fake, "What name should the network see?")
    await fake.dispatch("MESSAGE_CREATE", fake.message_event(amina, dm, "Amina K.", guild=False))
    await _last_reply_says(fake, "What is your role?")
    assert all(s.channel_id == dm for s in fake.sent)
    async with running.app.database.unit_of_work() as uow:
        member = await uow.members.by_account("discord", amina)
    assert member is not None and member.display_name == "Amina K."


async def test_private_replies_to_a_channel_command_go_to_direct_messages(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    await start_bot()
    started = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("start")))

    def dms() -> list[Any]:
        return [s for s in fake.sent if fake.channels.get(s.channel_id, {}).get("type") == 1]

    # the onboarding's first DMs come one after another: wait for the question itself
    await fake.wait_for(
        lambda: any("What name should the network see?" in s.content for s in dms())
    )
    [public] = answers(started)
    assert "I sent you a private message to set up your profile." in public["content"]


def _where_command(app: BotApp) -> None:
    async def where(ctx: Any, **_: Any) -> Reply:
        place = ctx.request.place
        return ctx.reply(f"{place.kind.value} {place.chat_id} {place.thread_id}")

    app.registry.command("where", description=N_("List what I can do for you"))(where)


async def test_a_command_in_a_forum_post_knows_its_forum_and_post(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    forum, thread = fake.new_id(), fake.new_id()
    fake.add_channel(forum, "advice", 15)
    fake.add_channel(thread, "Quotas?", 11, parent_id=forum)
    amina = fake.add_user("Amina")
    await start_bot(registry_hook=_where_command, advice_forum_id=forum)
    in_post = fake.interaction(amina, 2, fake.command_data("where"), channel_id=thread)
    await fake.run_interaction(in_post)
    assert as_read(text_of(in_post)) == f"forum {forum} {thread}"
    in_dm = fake.interaction(amina, 2, fake.command_data("where"), dm=True)
    await fake.run_interaction(in_dm)
    assert as_read(text_of(in_dm)).startswith("private ")
    in_channel = fake.interaction(amina, 2, fake.command_data("where"))
    await fake.run_interaction(in_channel)
    assert as_read(text_of(in_channel)) == f"group {fake.general} None"


async def test_private_replies_are_shown_ephemerally_when_dms_are_closed(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    fake.closed_dms.add(amina)
    await start_bot()
    started = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("start")))
    await fake.settle(quiet=0.1)
    bodies = answers(started)
    assert not ephemeral(bodies[0])  # the greeting is for the channel
    assert any(
        ephemeral(b) and "What name should the network see?" in b["content"] for b in bodies[1:]
    )


async def test_a_long_forum_post_continues_in_its_thread(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    forum = fake.new_id()
    fake.add_channel(forum, "advice", 15)
    running = await start_bot(advice_forum_id=forum)
    body = "\n".join(f"Paragraph {i}: " + "words " * 60 for i in range(20))
    post = Reply(body=doc(line("A long question"), body), buttons=((Button("Answer", "a 1"),),))
    sent = await running.app.messengers[Platform.DISCORD].send(
        Recipient(Platform.DISCORD, forum), post
    )
    opening, *rest = [s for s in fake.sent]
    assert opening.kind == "forum_post" and not opening.body.get("components")
    assert rest and all(s.channel_id == sent.thread_id for s in rest)
    assert rest[-1].body["components"][0]["components"][0]["custom_id"] == "a 1"
    joined = "\n".join(as_read(s.content) for s in [opening, *rest])
    assert joined.replace("\n", " ").split() == f"A long question\n{body}".split()
