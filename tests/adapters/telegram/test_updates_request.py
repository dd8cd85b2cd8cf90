"""getUpdates answers lose the updates polling already has, before PTB parses them again."""

from __future__ import annotations

import json

from adapters.telegram.request import UpdatesRequest


def answer(*update_ids: int) -> bytes:
    result = [{"update_id": n, "message": {"message_id": n}} for n in update_ids]
    return json.dumps({"ok": True, "result": result}).encode()


def test_known_updates_are_dropped_and_the_rest_kept_in_order() -> None:
    request = UpdatesRequest()
    request.known = lambda number: number in {10, 12}
    parsed = request.parse_json_payload(answer(10, 11, 12, 13))
    assert [u["update_id"] for u in parsed["result"]] == [11, 13]


def test_nothing_is_dropped_until_polling_says_what_it_has() -> None:
    parsed = UpdatesRequest().parse_json_payload(answer(1, 2))
    assert [u["update_id"] for u in parsed["result"]] == [1, 2]


def test_an_error_answer_is_left_as_it_is() -> None:
    request = UpdatesRequest()
    request.known = lambda _number: True
    payload = {"ok": False, "error_code": 409, "description": "Conflict"}
    assert request.parse_json_payload(json.dumps(payload).encode()) == payload
