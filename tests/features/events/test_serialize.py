"""The outbox payload: a Reply survives the trip to JSON and back, unchanged."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.messages import Attachment, Button, Destination, Reply
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
        extra={"k": [1, 2]},
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
