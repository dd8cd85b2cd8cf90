"""Core rich text → Discord markdown: user text escaped, long text split at 2000 characters."""

from __future__ import annotations

from adapters.discord.render import MESSAGE_LIMIT, render, split_message
from bot.core.richtext import Link, bold, code, doc, line
from tests.adapters.discord.hostile import HOSTILE, as_read, pings


def test_user_text_is_escaped_and_reads_as_typed() -> None:
    rendered = render(doc(line(bold("Bio: "), HOSTILE)))
    assert rendered.startswith("**Bio: **")
    body = rendered.removeprefix("**Bio: **")
    assert not pings(body)
    assert "**not bold**" not in body and "\\*\\*not bold\\*\\*" in body
    assert as_read(body) == HOSTILE
    assert "مرحبا بالجميع" in body


def test_formatting_nodes_render_as_markdown() -> None:
    rendered = render(doc(line(code("/help"), " ", Link("hub", "https://hub.example/a b"))))
    assert rendered == "`/help` [hub](<https://hub.example/a%20b>)"


def test_split_keeps_lines_whole_and_every_piece_fits() -> None:
    lines = [f"line {i} " + "x" * 90 for i in range(100)]
    pieces = split_message("\n".join(lines))
    assert all(len(p) <= MESSAGE_LIMIT for p in pieces)
    assert len(pieces) == 5  # 20 lines of ~98 characters each
    assert "\n".join(pieces).split("\n") == lines


def test_ten_thousand_characters_of_hostile_text() -> None:
    text = (HOSTILE + " ") * (10_000 // len(HOSTILE) + 1)
    text = text[:10_000]
    pieces = split_message(render(doc(text)))
    assert len(pieces) >= 5
    assert all(0 < len(p) <= MESSAGE_LIMIT for p in pieces)
    assert not any(pings(p) for p in pieces)
    assert not any(p.endswith("\\") and not p.endswith("\\\\") for p in pieces)
    # Pieces are cut at spaces (or just before an escape): only spaces at the cuts may go.
    rejoined = "".join(as_read(p) for p in pieces)
    assert rejoined.replace(" ", "") == text.replace(" ", "")


def test_a_link_label_with_a_line_break_stays_whole_when_a_long_message_is_split() -> None:
    """Found by the fuzz test: a label's line break let the split cut ``[...](<...>)`` in two."""
    from adapters.discord.render import render, split_message
    from bot.core.richtext import Bold, BulletList, Document, Link, Text

    for filler in range(1950, 2000):  # wherever the 2,000-character cut falls
        document = Document(
            (BulletList((Text("x" * filler), Bold((Link("000<\n|", "https://x.org/"),)))),)
        )
        for piece in split_message(render(document)):
            assert piece.count("[") - piece.count("\\[") == piece.count("](<"), (filler, piece)
