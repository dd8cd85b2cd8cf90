"""The one Markdown writer: clean for newsletter text, inert for hostile text, wherever it stands.

A CommonMark parser (markdown-it-py, with the GFM tables and strikethrough that newsletter tools
add) reads the result: the structure must be the template's, the text exactly what was typed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.core.markdown import escape, url

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-27",
        "(LGAs)",
        "Q&A",
        "e.g. budgets, i.e. money",
        "snake_case and file_name.txt",
        "50% of seats; 3 < 5 > 2",
        "#hashtag and C#",
        "We're #1!",
        'Dr. Amina O\'Brien-Haddad: "yes"',
        "https://uclg.org/a?b=1&c=2 (see p. 4)",
        "C:\\Users\\grace",
        "مرحبا، هذا نص عربي (المجالس المحلية)",
        "+33 1 23 45 67 89 — call me",
        "1st place, 2nd try",
    ],
)
def test_newsletter_text_comes_out_as_typed(typed: str) -> None:
    assert escape(typed) == typed


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("**bold** and _it_", "\\*\\*bold\\*\\* and \\_it\\_"),
        ("[x](http://evil)", "\\[x\\](http://evil)"),
        ("![img](x)", "!\\[img\\](x)"),
        ("`code`", "\\`code\\`"),
        ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
        ("<http://x.org>", "\\<http://x.org>"),
        ("&amp; &#42; &copy;", "\\&amp; \\&#42; \\&copy;"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("__init__", "\\_\\_init\\_\\_"),
        ("back\\", "back\\\\"),
        ("\\*", "\\\\\\*"),
        ("# Title", "\\# Title"),
        ("### x", "\\### x"),
        ("1. first", "1\\. first"),
        ("2026) year", "2026\\) year"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("> quote", "\\> quote"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("Title ##", "Title \\##"),
        ("two\n\nparagraphs\tand  spaces", "two paragraphs and spaces"),
    ],
)
def test_markup_is_escaped_only_where_it_is_markup(typed: str, written: str) -> None:
    assert escape(typed) == written


def test_block_markers_in_the_middle_of_a_line_stay_plain() -> None:
    assert escape("1. Map the budget # 2. Vote", line_start=False) == "1. Map the budget # 2. Vote"
    assert escape("> - + x", line_start=False) == "> - + x"
    assert escape("**x**", line_start=False) == "\\*\\*x\\*\\*"


def test_a_link_destination_keeps_its_parentheses_and_cannot_end_early() -> None:
    assert url("https://x.org/wiki/Gender_(budget)") == "<https://x.org/wiki/Gender_(budget)>"
    assert url("https://x.org/a b<c>\\d") == "<https://x.org/a%20b%3Cc%3E%5Cd>"


# property: any text, in every place a template puts it --------------------------------------


def _inline(source: str) -> list[Token]:
    return [child for token in PARSER.parse(source) if token.children for child in token.children]


def _read(tokens: list[Token]) -> str:
    assert {token.type for token in tokens} <= {"text", "text_special"}, tokens
    return "".join(token.content for token in tokens)


def _types(source: str) -> list[str]:
    return [token.type for token in PARSER.parse(source)]


SYMBOLS = "ab1 .-+=#>*_`[]()<>!&;|~\\/:?\"'\n\t"
pieces = st.sampled_from(
    [
        *SYMBOLS,
        "&amp;",
        "&#42;",
        "<a>",
        "1.",
        "é",
        "مر",
        "0)",
        "http://x",
        "www.x.org",
        "---",
        "***",
    ]
)
values = st.lists(pieces, min_size=1, max_size=12).map("".join).filter(str.strip)


@settings(max_examples=400, deadline=None)
@given(values, values)
def test_any_text_keeps_the_structure_and_reads_as_typed(first: str, second: str) -> None:
    typed, other = " ".join(first.split()), " ".join(second.split())
    assert _types(escape(first)) == ["paragraph_open", "inline", "paragraph_close"]
    assert _read(_inline(escape(first))) == typed

    assert _types("## " + escape(first)) == ["heading_open", "inline", "heading_close"]
    assert _read(_inline("## " + escape(first))) == typed

    items = _types(f"- {escape(first)}\n- {escape(second)}")
    one = ["list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]
    assert items == ["bullet_list_open", *one, *one, "bullet_list_close"]

    strong = _inline(
        f"- ✅ **{escape(first, line_start=False)}**: {escape(second, line_start=False)}"
    )
    kinds = [token.type for token in strong]
    assert kinds.count("strong_open") == kinds.count("strong_close") == 1
    opened, closed = kinds.index("strong_open"), kinds.index("strong_close")
    assert _read(strong[opened + 1 : closed]) == typed
    assert _read(strong[closed + 1 :]) == f": {other}"

    emphasis = _inline(f"_{escape(first, line_start=False)}_")
    assert (emphasis[0].type, emphasis[-1].type) == ("em_open", "em_close")
    assert _read(emphasis[1:-1]) == typed

    link = _inline(f"- [{escape(first, line_start=False)}]({url('https://x.org/a(b)')}) — x")
    kinds = [token.type for token in link]
    assert kinds[0] == "link_open" and kinds.count("link_close") == 1
    assert link[0].attrs["href"] == "https://x.org/a(b)"
    assert _read(link[1 : kinds.index("link_close")]) == typed
