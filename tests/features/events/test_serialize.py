"""The outbox payload: a Reply survives the trip to JSON and back, unchanged; a reply stored
in the earlier, unversioned format reads with the same hints."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.messages import (
    Attachment,
    Button,
    Destination,
    InlineCard,
    MeetingPlace,
    Reply,
    ThreadState,
    ThreadStatus,
)
from bot.core.richtext import Link, Mention, bold, bullets, code, doc, italic, line
from bot.core.serialize import reply_from_data, reply_to_data


def test_a_rich_reply_round_trips_through_json() -> None:
    reply = Reply(
        body=doc(
            line(bold("Gender ", italic("budgeting")), " in ", code("LGAs")),
            line(Link("Join", "https://example.org/w?a=1&b=<2>"), Mention("Grace")),
            bullets(["one", bold("two")]),
            "plain <b>not html</b> @everyone",
        ),
        destination=Destination.PRIVATE,
        buttons=((Button("RSVP", "rsvp 12"), Button(".ics", "ics 12")), (Button("5", "rate 1 5"),)),
        attachments=(Attachment("e.ics", b"BEGIN:VCALENDAR\r\n\x00\xff", "text/calendar"),),
        rtl=True,
        open_thread="Q7 · Shelters",
        reply_to="4211",
        thread=ThreadState(ThreadStatus.SOLVED, "Q7 · Shelters"),
        ping_role=True,
        inline=InlineCard("Gender budgets", "Publication · 2021", "12"),
    )
    data = json.loads(json.dumps(reply_to_data(reply)))
    assert reply_from_data(data) == reply


@settings(max_examples=40, deadline=None)
@given(st.text(), st.text(), st.binary(max_size=64), st.booleans())
def test_any_text_and_bytes_round_trip(value: str, label: str, blob: bytes, rtl: bool) -> None:
    reply = Reply(
        body=doc(line(value), line(Link(label, value))),
        attachments=(Attachment("x.bin", blob),),
        rtl=rtl,
    )
    assert reply_from_data(json.loads(json.dumps(reply_to_data(reply)))) == reply


def test_a_reply_is_written_with_its_format_version_and_only_the_hints_it_sets() -> None:
    data = reply_to_data(Reply.text("Hi"))
    assert data["v"] == 2
    assert {"open_thread", "reply_to", "thread", "ping_role", "inline", "extra"}.isdisjoint(data)
    hinted = reply_to_data(
        Reply(body=doc("Q1"), thread=ThreadState(ThreadStatus.CLOSED, "Q1 · Care"), ping_role=True)
    )
    assert hinted["thread"] == {"status": "closed", "title": "Q1 · Care"}
    assert hinted["ping_role"] is True


def _unversioned(extra: Mapping[str, object]) -> dict[str, object]:
    """A reply as the serializer wrote it before versions: hints in one ``extra`` dict."""
    return {
        "body": {"t": "doc", "c": [{"t": "block", "c": [{"t": "text", "v": "card"}]}]},
        "destination": "here",
        "buttons": [],
        "attachments": [],
        "rtl": False,
        "extra": extra,
    }


def test_an_unversioned_reply_maps_its_extra_dict_to_the_typed_hints() -> None:
    thread_card = reply_from_data(
        _unversioned(
            {"open_thread": "Q1 · Care", "thread_state": "open", "thread_title": "Q1 · Care"}
            | {"reply_to": "88"}
        )
    )
    assert thread_card == Reply(
        body=doc(line("card")),
        open_thread="Q1 · Care",
        reply_to="88",
        thread=ThreadState(ThreadStatus.OPEN, "Q1 · Care"),
    )
    assert reply_from_data(_unversioned({"ping_role": True})).ping_role is True
    inline = reply_from_data(
        _unversioned({"inline_title": "T", "inline_description": "D", "inline_id": 3})
    )
    assert inline.inline == InlineCard("T", "D", "3")
    # Keys that never meant anything, and empty values, are no hints at all.
    plain = reply_from_data(_unversioned({"k": [1, 2], "reply_to": "", "ping_role": False}))
    assert plain == Reply(body=doc(line("card")))
    assert reply_from_data({k: v for k, v in _unversioned({}).items() if k != "extra"}) == plain


def test_a_reply_from_a_newer_bot_is_refused_not_sent_without_its_hints() -> None:
    data = reply_to_data(Reply.text("Hi")) | {"v": 4}
    with pytest.raises(ValueError, match="version 4"):
        reply_from_data(data)


def test_a_meeting_place_is_written_as_version_3_and_read_back() -> None:
    """Only a reply an older bot could not honour (it would post a private welcome in the open)
    carries the new version: that bot refuses it; every other reply stays version 2."""
    reply = Reply(body=doc("Welcome"), meeting_place=MeetingPlace("🤝 A & B · 1", ("11", "22")))
    data = json.loads(json.dumps(reply_to_data(reply)))
    assert data["v"] == 3
    assert data["meeting_place"] == {"title": "🤝 A & B · 1", "accounts": ["11", "22"]}
    assert reply_from_data(data) == reply
