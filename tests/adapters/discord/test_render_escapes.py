"""No node of a Discord message can carry a working mention or break out of its markup: code
spans and link addresses, where a backslash escapes nothing, are made inert their own way."""

from __future__ import annotations

import pytest

from adapters.discord.render import render, split_message
from bot.core.richtext import Link, Mention, bold, code, doc, italic, line
from tests.adapters.discord.hostile import HOSTILE, pings
from tests.fuzz.checks import WORKING_MENTION, markup_outside_its_place

URL = "https://hub.example/guide"
MENTIONS = (
    "@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>",
    "<@&123456789012345678>", "<#123456789012345678>", "</help:123456789012345678>",
)  # fmt: skip


@pytest.mark.parametrize("mention", MENTIONS)
def test_code_spans_cannot_mention(mention: str) -> None:
    rendered = render(doc(line("Type ", code(f"/ask {mention} now"))))
    assert not pings(rendered) and not WORKING_MENTION.search(rendered)
    assert rendered.replace("\u200b", "") == f"Type `/ask {mention} now`"


def test_code_spans_keep_commands_copyable() -> None:
    assert render(doc(code("/rsvp <id>"))) == "`/rsvp <id>`"


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/a>b **bold** @everyone <@123456789012345678>",
        "https://x.org/a> [click](https://evil.example)",
        "https://x.org/`tick`\n# heading",
        "https://x.org/@here)",
    ],
)
@pytest.mark.parametrize("label", ["same", "Recording"])
def test_a_link_address_cannot_leave_its_angle_brackets(url: str, label: str) -> None:
    rendered = render(doc(line(Link(url if label == "same" else label, url))))
    assert markup_outside_its_place(rendered) is None, rendered
    assert not pings(rendered) and not WORKING_MENTION.search(rendered), rendered
    assert rendered.count(">") == 1 and rendered.endswith(">" if label == "same" else ">)")


def test_a_link_keeps_ordinary_addresses_and_mastodon_handles() -> None:
    assert render(doc(Link("https://x.org/a?b=1&c_d=2", "https://x.org/a?b=1&c_d=2"))) == (
        "<https://x.org/a?b=1&c_d=2>"
    )
    assert render(doc(Link("Me", "https://social.example/@amina"))) == (
        "[Me](<https://social.example/@amina>)"
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.org/**f**", "<@123456789012345678>"]
)
def test_a_link_that_discord_would_not_link_is_plain_escaped_text(url: str) -> None:
    rendered = render(doc(Link("Click **me**", url)))
    assert markup_outside_its_place(rendered) is None, rendered
    assert not WORKING_MENTION.search(rendered)
    assert "](" not in rendered


def test_every_node_with_hostile_text_stays_in_its_place() -> None:
    document = doc(
        line(bold(HOSTILE), " ", italic(HOSTILE), " ", code(HOSTILE), " ", Mention(HOSTILE)),
        line(Link(HOSTILE, "https://x.org/" + HOSTILE)),
        HOSTILE,
    )
    rendered = render(document)
    assert markup_outside_its_place(rendered) is None, rendered
    assert not pings(rendered) and not WORKING_MENTION.search(rendered), rendered


def test_lone_surrogates_cannot_reach_the_json_encoder() -> None:
    render(doc("broken \ud800 text", code("\udfff"))).encode()


def test_a_cut_never_goes_through_a_code_span_or_a_link() -> None:
    words = " ".join(["word"] * 380)  # a 1,900-character line: the code span straddles 2,000
    document = doc(line(words, " ", code("/ask " + "x " * 100), " ", Link("guide " * 20, URL)))
    pieces = split_message(render(document))
    assert len(pieces) > 1
    for piece in pieces:
        assert markup_outside_its_place(piece) is None, piece


def test_a_code_span_longer_than_a_message_is_closed_and_reopened() -> None:
    pieces = split_message(render(doc(code("x" * 4500))))
    assert [len(piece) for piece in pieces] == [2000, 2000, 506]
    assert all(piece.startswith("`") and piece.endswith("`") for piece in pieces)


def test_a_link_too_long_for_a_message_is_plain_text() -> None:
    long_url = "https://x.org/" + "a" * 1990
    pieces = split_message(render(doc(line(Link("Guide", long_url)))))
    assert all(markup_outside_its_place(piece) is None for piece in pieces)
    assert render(doc(Link("x" * 400, URL))).startswith("[" + "x" * 300 + "…](")
