"""Updates → core requests: places, commands with and without @botname, deep links, buttons."""

from __future__ import annotations

from typing import Any

from telegram import Update

from adapters.telegram.convert import request_from_update, split_command
from bot.core.messages import PlaceKind, RequestKind
from tests.adapters.telegram.conftest import AMINA, FORUM, GROUP, TOPIC, private_chat
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram, Sent

fake = FakeTelegram()


def _update(data: dict[str, Any], update_id: int = 7) -> Update:
    update = Update.de_json({"update_id": update_id, **data}, None)
    assert update is not None
    return update


def test_private_command_with_update_id_for_idempotency() -> None:
    request = request_from_update(
        _update(fake.message(private_chat(AMINA), AMINA, "/profile")), BOT_USERNAME
    )
    assert request is not None
    assert (
        request.kind is RequestKind.COMMAND and request.command == "profile" and request.text == ""
    )
    assert request.place.kind is PlaceKind.PRIVATE and request.place.chat_id == "101"
    assert request.actor.user_id == "101" and request.actor.locale == "en"
    assert request.update_id == "7"


def test_group_command_addressed_to_this_bot_or_another() -> None:
    mine = request_from_update(
        _update(fake.message(GROUP, AMINA, f"/Profile@{BOT_USERNAME} set bio Hi  there")),
        BOT_USERNAME,
    )
    assert mine is not None and mine.command == "profile" and mine.text == "set bio Hi  there"
    assert mine.place.kind is PlaceKind.GROUP and mine.place.chat_id == str(GROUP["id"])
    other = request_from_update(
        _update(fake.message(GROUP, AMINA, "/profile@other_bot")), BOT_USERNAME
    )
    assert other is None


def test_forum_topic_keeps_its_thread_and_general_is_the_group() -> None:
    topic = request_from_update(
        _update(fake.message(FORUM, AMINA, "/help", thread_id=TOPIC)), BOT_USERNAME
    )
    assert (
        topic is not None and topic.place.kind is PlaceKind.FORUM and topic.place.thread_id == "42"
    )
    general = request_from_update(
        _update(fake.message(FORUM, AMINA, "/help", thread_id=1)), BOT_USERNAME
    )
    assert general is not None and general.place.kind is PlaceKind.GROUP
    assert general.place.thread_id is None


def test_reply_threads_in_ordinary_groups_are_not_topics() -> None:
    data = fake.message(GROUP, AMINA, "hello")
    data["message"]["message_thread_id"] = 99  # a reply thread, not a forum topic
    request = request_from_update(_update(data), BOT_USERNAME)
    assert request is not None and request.place.thread_id is None
    assert request.kind is RequestKind.TEXT and request.text == "hello"


def test_deep_link_payload_reaches_start() -> None:
    request = request_from_update(
        _update(fake.message(private_chat(AMINA), AMINA, "/start rsvp-12")), BOT_USERNAME
    )
    assert request is not None and (request.command, request.text) == ("start", "rsvp-12")


def test_slashes_that_are_not_commands_are_text() -> None:
    assert split_command("/usr/bin", None) is None
    assert split_command("/ hello", None) is None
    assert split_command("/help\nmore", None) == ("help", "more")
    request = request_from_update(
        _update(fake.message(private_chat(AMINA), AMINA, "/usr/bin")), None
    )
    assert request is not None and request.kind is RequestKind.TEXT


def test_button_press_is_a_button_request_with_the_action() -> None:
    sent = Sent("sendMessage", -100300, 42, "pick", None, 5)
    request = request_from_update(
        _update(fake.callback(AMINA, sent, "rsvp 12", chat=FORUM)), BOT_USERNAME
    )
    assert request is not None
    assert (
        request.kind is RequestKind.BUTTON and request.command is None and request.text == "rsvp 12"
    )
    assert request.place.thread_id == "42" and request.update_id == "7"


def test_messages_from_bots_and_without_text_are_ignored() -> None:
    data = fake.message(GROUP, {"id": 9, "is_bot": True, "first_name": "Other"}, "/help")
    assert request_from_update(_update(data), BOT_USERNAME) is None
    data = fake.message(GROUP, AMINA, "x")
    del data["message"]["text"]
    assert request_from_update(_update(data), BOT_USERNAME) is None


def test_a_file_without_caption_is_a_request_privately_and_ignored_in_groups() -> None:
    pdf = b"%PDF-1.7 x"
    alone = request_from_update(
        _update(fake.document(private_chat(AMINA), AMINA, "a.pdf", pdf)), BOT_USERNAME
    )
    assert alone is not None and alone.kind is RequestKind.TEXT and alone.text == ""
    assert (
        request_from_update(_update(fake.document(GROUP, AMINA, "a.pdf", pdf)), BOT_USERNAME)
        is None
    )
    captioned = request_from_update(
        _update(fake.document(GROUP, AMINA, "a.pdf", pdf, caption="/share A guide theme:quotas")),
        BOT_USERNAME,
    )
    assert captioned is not None and captioned.kind is RequestKind.COMMAND
    assert (captioned.command, captioned.text) == ("share", "A guide theme:quotas")
