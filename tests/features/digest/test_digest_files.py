"""The digest as newsletter files: Markdown that pastes cleanly, HTML that shows text as text."""

from __future__ import annotations

import re

from bot.core.i18n import Translator
from bot.features.admin.exports import ExportFormat
from bot.features.digest.service import Digest, DigestItem, as_file
from tests.documents import html_read, markdown_shape, markdown_texts

HOSTILE = [
    "*Amina*",
    "[x](https://evil.example)",
    "<script>alert(1)</script>",
    "# Heading",
    "1. First",
    "`code` | pipe",
    "&copy; ~~gone~~",
]


def _digest(values: list[str], url: str | None = "https://hub.example/r?id=1&lang=en") -> Digest:
    items = [DigestItem(value, value, url) for value in values]
    return Digest("Gender Hub", "a", "b", resources=items, solved=list(items), stories=list(items))


def _typed(run: str) -> str:
    return re.sub(r"Plain(\d+)", lambda match: HOSTILE[int(match.group(1))], run)


PLAIN = [f"Plain{index}" for index in range(len(HOSTILE))]


def test_a_real_week_pastes_without_backslashes() -> None:
    digest = Digest(
        "Gender Hub Champions",
        "Nov 13, 2026",
        "Nov 20, 2026",
        resources=[
            DigestItem(
                "Guía de presupuestos (LGAs), e.g. 2026-27", "FEMP, 2026", "https://x.org/a_(b)"
            )
        ],
        solved=[DigestItem("Q1 · Who funds shelters? Q&A notes", "answers: 3")],
        events=[DigestItem("Toolkit training #2", "Dec 3, 2026, 10:00 AM (Europe/Madrid)")],
    )
    written = as_file(digest, ExportFormat.MARKDOWN, Translator("en"))
    assert written == (
        "# This week in Gender Hub Champions\n"
        "\n"
        "## New in the Knowledge Hub\n"
        "\n"
        "- [Guía de presupuestos (LGAs), e.g. 2026-27](<https://x.org/a_(b)>) — FEMP, 2026\n"
        "\n"
        "## Questions solved by peers\n"
        "\n"
        "- Q1 · Who funds shelters? Q&A notes — answers: 3\n"
        "\n"
        "## Coming up\n"
        "\n"
        "- Toolkit training #2 — Dec 3, 2026, 10:00 AM (Europe/Madrid)\n"
    )


def test_hostile_titles_cannot_change_the_markdown() -> None:
    t = Translator("en")
    hostile = as_file(_digest(HOSTILE), ExportFormat.MARKDOWN, t)
    plain = as_file(_digest(PLAIN), ExportFormat.MARKDOWN, t)
    assert markdown_shape(hostile) == markdown_shape(plain)
    assert markdown_texts(hostile) == [_typed(run) for run in markdown_texts(plain)]


def test_hostile_titles_are_text_in_the_html() -> None:
    t = Translator("ar")
    hostile = as_file(_digest(HOSTILE), ExportFormat.HTML, t)
    plain = as_file(_digest(PLAIN), ExportFormat.HTML, t)
    assert hostile.startswith('<section lang="ar" dir="rtl">\n')
    hostile_tags, hostile_texts, hostile_attributes = html_read(hostile)
    plain_tags, plain_texts, plain_attributes = html_read(plain)
    assert hostile_tags == plain_tags
    assert hostile_texts == [_typed(run) for run in plain_texts]
    assert hostile_attributes == plain_attributes
    assert "href=https://hub.example/r?id=1&lang=en" in hostile_attributes


def test_only_web_addresses_become_links() -> None:
    t = Translator("en")
    digest = _digest(["Click me"], url="javascript:alert(document.cookie)")
    markdown = as_file(digest, ExportFormat.MARKDOWN, t)
    html = as_file(digest, ExportFormat.HTML, t)
    assert "javascript" not in markdown and "javascript" not in html
    assert "- Click me — Click me\n" in markdown
    assert '<li dir="auto">Click me <em>Click me</em></li>' in html
