"""Rich text → Telegram HTML: always valid, always reads as typed, always within 4096."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.render import MESSAGE_LIMIT, RLM, render_chunks, utf16_len
from bot.core.richtext import (
    BulletList,
    Code,
    Document,
    Link,
    Mention,
    Node,
    Text,
    bold,
    bullets,
    code,
    doc,
    italic,
    line,
)
from tests.fakes.telegram_html import HTMLParseError, parse_telegram_html

HOSTILE = [
    "<b>bold?</b>",
    "a & b &amp; &lt;",
    "unbalanced *bold _italic [link](x) `code",
    "<a href='javascript:alert(1)'>x</a>",
    "مرحبا بالعالم، هذا نص عربي",
    "emoji 👩🏽‍💼🌍✨ and flags 🇫🇷",
    "@everyone @here",
    "</b></i></code>",
]


def _plain_read(document: Document, *, rtl: bool = False) -> list[str]:
    chunks = render_chunks(document, rtl=rtl)
    for chunk in chunks:
        assert parse_telegram_html(chunk.html) == chunk.plain
        assert 1 <= utf16_len(chunk.plain) <= MESSAGE_LIMIT
    return [chunk.plain for chunk in chunks]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_renders_escaped_and_reads_as_typed(hostile: str) -> None:
    document = doc(line(bold("Bio: "), hostile), line(code(hostile)), line(italic(hostile)))
    (plain,) = _plain_read(document)
    assert plain == f"Bio: {hostile}\n{hostile}\n{hostile}"


def test_markup_is_real_html_for_formatting() -> None:
    (chunk,) = render_chunks(
        doc(line(bold("a"), italic("b"), code("c"), Link("site", "https://x.org/?a=1&b=2")))
    )
    assert (
        chunk.html == '<b>a</b><i>b</i><code>c</code><a href="https://x.org/?a=1&amp;b=2">site</a>'
    )


def test_links_that_are_not_web_links_stay_text_and_mentions_never_ping() -> None:
    (chunk,) = render_chunks(doc(line(Link("x", "javascript:alert(1)"), " ", Mention("Amina"))))
    assert "<a" not in chunk.html
    assert chunk.plain == "x (javascript:alert(1)) Amina"


def test_ten_thousand_characters_split_on_line_boundaries() -> None:
    lines = [f"line {n:04d} " + "x" * 90 for n in range(100)]  # 100 lines of 100 characters
    chunks = render_chunks(doc(*lines))
    assert len(chunks) == 3
    assert [c.plain for c in chunks] == [
        "\n".join(lines[0:40]),
        "\n".join(lines[40:80]),
        "\n".join(lines[80:100]),
    ]


def test_one_long_line_is_cut_between_words_and_nothing_is_lost() -> None:
    typed = " ".join(f"word{n}" for n in range(2000))  # about 15,000 characters, one line
    chunks = render_chunks(doc(line(bold(typed))))
    assert len(chunks) >= 4
    assert "".join(c.plain for c in chunks) == typed
    assert all(c.html.startswith("<b>") and c.html.endswith("</b>") for c in chunks)
    assert all(c.plain.endswith(" ") for c in chunks[:-1])  # cut after a space, words whole


def test_emoji_count_as_telegram_counts_them() -> None:
    typed = "🌍" * 3000  # 3000 characters but 6000 UTF-16 units
    chunks = render_chunks(doc(typed))
    assert [utf16_len(c.plain) for c in chunks] == [4096, 6000 - 4096]
    assert "".join(c.plain for c in chunks) == typed


def test_arabic_reply_lines_start_with_a_right_to_left_mark() -> None:
    (chunk,) = render_chunks(doc("مرحبا", bullets(["/help", "نص"])), rtl=True)
    assert chunk.plain.split("\n") == [RLM + "مرحبا", RLM + "• /help", RLM + "• نص"]


def test_blank_documents_send_nothing() -> None:
    assert render_chunks(doc("", "  ")) == []


def test_the_checker_refuses_what_telegram_refuses() -> None:
    for bad in [
        "<b>x",
        "a < b",
        "a & b",
        "<script>x</script>",
        "<b><i>x</b></i>",
        "&nbsp;",
        "<code><b>x</b></code>",
    ]:
        with pytest.raises(HTMLParseError):
            parse_telegram_html(bad)
    assert (
        parse_telegram_html('<b>x</b> &lt;&#65;&#x42;&quot; <a href="https://a">y</a>')
        == 'x <AB" y'
    )


# property: whatever the text and however it is nested ------------------------------------

texts = st.text(max_size=300)
inline: st.SearchStrategy[Node] = st.recursive(
    texts.map(Text) | texts.map(Mention),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda parts: bold(*parts)),
        st.lists(children, max_size=4).map(lambda parts: italic(*parts)),
        st.lists(children, max_size=4).map(lambda parts: code(*parts)),
        st.tuples(texts, st.sampled_from(["https://uclg.org/a?b=<c>&d='e'", "mailto:x"])).map(
            lambda pair: Link(pair[0], pair[1])
        ),
    ),
    max_leaves=12,
)
documents = st.lists(
    st.one_of(
        st.lists(inline, max_size=5).map(lambda parts: line(*parts)),
        st.lists(inline, max_size=4).map(bullets),
    ),
    max_size=6,
).map(lambda blocks: doc(*blocks))
long_texts = st.text(min_size=3000, max_size=6000).map(lambda t: doc(line(bold(t)), t))


def seen(node: Node) -> str:
    """What a Telegram reader sees: a web link shows its label (its address when blank)."""
    if isinstance(node, Link) and node.url.startswith("https://"):
        return node.label if node.label.strip() else node.url
    if isinstance(node, Link | Text | Mention | Code):  # no link inside code: its plain text
        return node.plain()
    if isinstance(node, Document):
        return "\n".join(seen(block) for block in node.blocks)
    if isinstance(node, BulletList):
        return "\n".join("• " + seen(item) for item in node.items)
    return "".join(seen(child) for child in getattr(node, "children", ()))


def _squeeze(text: str) -> str:
    return "".join(text.split()).replace(RLM, "")


@settings(max_examples=150, deadline=None)
@given(document=st.one_of(documents, long_texts), rtl=st.booleans())
def test_rendered_output_always_parses_and_reads_back_as_the_plain_text(
    document: Document, rtl: bool
) -> None:
    plains = _plain_read(document, rtl=rtl)
    expected = seen(document)
    # Nothing is lost or added except the line breaks and blanks where messages were cut.
    assert _squeeze("".join(plains)) == _squeeze(expected)
    if utf16_len(expected) + expected.count("\n") + 1 <= MESSAGE_LIMIT and expected.strip():
        assert [p.replace(RLM, "") for p in plains] == [expected]
