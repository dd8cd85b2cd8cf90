"""Thread-aware replies on Telegram: forum topics opened, renamed, closed and reopened."""

from __future__ import annotations

import json

import pytest

from adapters.telegram import TelegramAdapter
from adapters.telegram.messenger import TelegramMessenger
from bot.core.messages import Platform, Recipient, Reply, ThreadState, ThreadStatus
from bot.core.ports import DeliveryError
from bot.core.richtext import doc
from tests.adapters.telegram.conftest import AMINA, FORUM, GROUP
from tests.fakes.telegram_api import FakeTelegram, Fault


async def test_a_topic_is_opened_closed_and_reopened(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.forums[FORUM["id"]] = True
    messenger = telegram.messenger
    title = "Q4 · " + "How do we count unpaid care work? " * 6
    sent = await messenger.send(
        Recipient(Platform.TELEGRAM, str(FORUM["id"])),
        Reply(body=doc("Q4 card"), open_thread=title),
    )
    [topic] = fake.topics.values()
    assert sent.thread_id == str(topic.thread_id)
    # within Telegram's 128, cut between words (not "…unpai")
    assert topic.name == "Q4 · " + "How do we count unpaid care work? " * 3 + "How do we count…"
    assert [s.text for s in fake.sent_to(FORUM["id"], topic.thread_id)] == ["Q4 card"]

    in_topic = Recipient(Platform.TELEGRAM, str(FORUM["id"]), sent.thread_id)
    for state in ("solved", "open", "closed"):
        change = ThreadState(ThreadStatus(state), "Q4 · Care work")
        await messenger.send(in_topic, Reply(body=doc(f"now {state}"), thread=change))
        assert topic.closed is (state != "open")
    assert topic.names[1:] == ["✅ Q4 · Care work", "Q4 · Care work", "Q4 · Care work"]
    order = [c.method for c in fake.calls if "Forum" in c.method or c.method == "sendMessage"]
    assert order == [
        "createForumTopic",
        "sendMessage",
        "sendMessage",  # solved: the message, then the mark and the close
        "editForumTopic",
        "closeForumTopic",
        "editForumTopic",  # open: renamed and reopened before the message
        "reopenForumTopic",
        "sendMessage",
        "sendMessage",  # closed
        "editForumTopic",
        "closeForumTopic",
    ]


async def test_a_plain_group_gets_the_message_itself_and_replies(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    messenger = telegram.messenger
    group = Recipient(Platform.TELEGRAM, str(GROUP["id"]))
    sent = await messenger.send(group, Reply(body=doc("Q5 card"), open_thread="Q5"))
    assert sent.thread_id is None and fake.topics == {}
    await messenger.send(group, Reply(body=doc("an answer"), reply_to=sent.message_id))
    await messenger.send(
        Recipient(Platform.TELEGRAM, str(AMINA["id"]), private=True),
        Reply(body=doc("private"), reply_to=sent.message_id, open_thread="Q5"),
    )
    calls = [c for c in fake.calls if c.method in ("createForumTopic", "sendMessage")]
    [refused, card, answer, private] = calls[-4:]
    assert refused.method == "createForumTopic" and refused.status == 400  # not a forum
    assert card.params["text"] == "Q5 card" and "message_thread_id" not in card.params
    assert json.loads(answer.params["reply_parameters"]) == {
        "message_id": int(sent.message_id),
        "allow_sending_without_reply": True,
    }
    assert "reply_parameters" not in private.params  # no topics nor replies in private chats
    assert [c.method for c in fake.calls].count("createForumTopic") == 1


async def test_a_topic_whose_message_failed_is_removed_before_the_retry(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    fake.forums[FORUM["id"]] = True
    fake.faults.append(Fault("sendMessage", status=400))
    forum = Recipient(Platform.TELEGRAM, str(FORUM["id"]))
    question = Reply(body=doc("Q6 card"), open_thread="Q6 · Childcare at meetings")
    with pytest.raises(DeliveryError):
        await messenger_of(telegram).send(forum, question)
    assert fake.topics == {}
    sent = await messenger_of(telegram).send(forum, question)  # the outbox's next attempt
    [topic] = fake.topics.values()
    assert sent.thread_id == str(topic.thread_id)
    assert [s.text for s in fake.sent_to(FORUM["id"], topic.thread_id)] == ["Q6 card"]


def messenger_of(adapter: TelegramAdapter) -> TelegramMessenger:
    return adapter.messenger


def test_a_long_question_title_names_its_topic_in_whole_words() -> None:
    from adapters.shorten import utf16_units
    from adapters.telegram.topics import TOPIC_NAME_LIMIT, topic_name
    from bot.core.messages import SOLVED_MARK

    title = "Comment convaincre un conseil municipal d’adopter un budget sensible au genre 🎯 " * 3
    words = title.split()
    for state in (None, ThreadStatus.SOLVED):
        name = topic_name(title, state)
        assert utf16_units(name) <= TOPIC_NAME_LIMIT and name.endswith("…")
        kept = name.removeprefix(SOLVED_MARK).removesuffix("…").split()
        assert kept == words[: len(kept)]  # whole words only, the last one included
