"""The API check catches what Telegram would refuse, so passing it means something."""

from __future__ import annotations

import json

from tests.fakes.botapi_spec import check_call


def test_a_valid_call_passes() -> None:
    assert (
        check_call("sendMessage", {"chat_id": "1", "text": "<b>hi</b>", "parse_mode": "HTML"}) == []
    )


def test_unknown_method_missing_and_unknown_fields() -> None:
    assert check_call("sendMesage", {}) == ["unknown method sendMesage"]
    errors = check_call("sendMessage", {"text": "hi", "colour": "red"})
    assert any("missing required field 'chat_id'" in e for e in errors)
    assert any("unknown field 'colour'" in e for e in errors)


def test_lengths_after_entity_parsing_and_bad_html() -> None:
    long = {"chat_id": "1", "text": "<b>" + "x" * 4096 + "</b>", "parse_mode": "HTML"}
    assert check_call("sendMessage", long) == []
    long["text"] = "x" * 4097
    assert check_call("sendMessage", long)
    bad = check_call("sendMessage", {"chat_id": "1", "text": "a < b", "parse_mode": "HTML"})
    assert bad and "can't parse entities" in bad[0]


def test_nested_objects_are_checked() -> None:
    too_long = json.dumps({"inline_keyboard": [[{"text": "x", "callback_data": "y" * 65}]]})
    assert check_call("sendMessage", {"chat_id": "1", "text": "t", "reply_markup": too_long})
    commands = json.dumps([{"command": "help", "description": ""}])
    assert check_call("setMyCommands", {"commands": commands})
    scope = json.dumps({"type": "chat"})
    assert check_call("setMyCommands", {"commands": "[]", "scope": scope})
    good_scope = json.dumps({"type": "chat_member", "chat_id": -1, "user_id": 5})
    assert check_call("setMyCommands", {"commands": "[]", "scope": good_scope}) == []
