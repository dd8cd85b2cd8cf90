"""Thread-aware replies on Discord: threads on text-channel messages, references, states."""

from __future__ import annotations

from bot.core.messages import Platform, Recipient, Reply, ThreadState, ThreadStatus
from bot.core.richtext import doc
from tests.adapters.discord.conftest import Starter
from tests.fakes.discord import FakeDiscord


async def test_a_question_in_a_text_channel_gets_its_own_thread(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    channel = fake.new_id()
    fake.add_channel(channel, "advice", 0)
    running = await start_bot()
    messenger = running.bot.messenger
    title = "Q7 · " + "Which budget lines fund shelters? " * 5
    place = Recipient(Platform.DISCORD, channel)
    sent = await messenger.send(place, Reply(body=doc("Q7 card"), open_thread=title))
    assert sent.thread_id == sent.message_id  # a thread started on the message shares its id
    thread = fake.channels[sent.thread_id]
    assert thread["parent_id"] == channel and thread["type"] == 11
    # within Discord's 100, cut between words (not "…fund she")
    assert (
        thread["name"]
        == "Q7 · " + "Which budget lines fund shelters? " * 2 + "Which budget lines fund…"
    )

    # An answer relayed to the plain channel replies to the question's message.
    await messenger.send(place, Reply(body=doc("answer"), reply_to=sent.message_id))
    reference = fake.sent[-1].body["message_reference"]
    assert str(reference["message_id"]) == sent.message_id
    assert reference["fail_if_not_exists"] is False

    # Inside the thread no reference is needed: the thread says what it answers.
    in_thread = Recipient(Platform.DISCORD, channel, sent.thread_id)
    await messenger.send(in_thread, Reply(body=doc("relayed"), reply_to=sent.message_id))
    assert fake.sent[-1].channel_id == sent.thread_id
    assert "message_reference" not in fake.sent[-1].body

    # Closed: the message goes in, then the thread is archived; reopened: unarchived first.
    for state in ("closed", "open"):
        change = ThreadState(ThreadStatus(state), "Q7 · Shelters")
        await messenger.send(in_thread, Reply(body=doc(f"now {state}"), thread=change))
        await fake.settle(quiet=0.05)
        assert fake.channels[sent.thread_id]["thread_metadata"]["archived"] is (state == "closed")
    assert fake.renames[sent.thread_id] == ["Q7 · Shelters", "Q7 · Shelters"]
    assert [s.content for s in fake.sent if s.channel_id == sent.thread_id] == [
        "relayed",
        "now closed",
        "now open",
    ]


async def test_a_reopened_forum_post_loses_its_solved_tag(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    forum = fake.new_id()
    fake.add_channel(forum, "advice", 15)
    other = fake.add_tag(forum, "Budgets")
    solved = fake.add_tag(forum, "SOLVED")
    running = await start_bot()
    messenger = running.bot.messenger
    opened = await messenger.send(
        Recipient(Platform.DISCORD, forum),
        Reply(body=doc("First line is not the title"), open_thread="Q3 · Tags"),
    )
    assert opened.thread_id is not None and fake.channels[opened.thread_id]["name"] == "Q3 · Tags"
    await fake.settle(quiet=0.05)
    fake.channels[opened.thread_id]["applied_tags"] = [other]  # a member tagged it
    await fake.dispatch("THREAD_UPDATE", fake.channels[opened.thread_id])
    post = Recipient(Platform.DISCORD, forum, opened.thread_id)
    for state, tags in (("solved", [other, solved]), ("open", [other])):
        change = ThreadState(ThreadStatus(state), "Q3 · Tags")
        await messenger.send(post, Reply(body=doc(state), thread=change))
        await fake.settle(quiet=0.05)
        assert fake.channels[opened.thread_id]["applied_tags"] == tags
    assert fake.renames[opened.thread_id] == ["✅ Q3 · Tags", "Q3 · Tags"]


def test_long_titles_name_threads_in_whole_words() -> None:
    from adapters.discord.messenger import thread_name
    from adapters.discord.threads import THREAD_NAME_LIMIT, state_name
    from bot.core.messages import SOLVED_MARK

    title = "¿Cómo convencer a un concejo municipal de adoptar un presupuesto con enfoque? " * 2
    words = title.split()
    for name in (
        thread_name(title),
        state_name(title, ThreadStatus.SOLVED),
        state_name(title, ThreadStatus.OPEN),
    ):
        assert len(name) <= THREAD_NAME_LIMIT and name.endswith("…")
        kept = name.removeprefix(SOLVED_MARK).removesuffix("…").split()
        assert kept == words[: len(kept)]  # whole words only, the last one included
