"""The good-practice exports read back as a browser or a Markdown editor would: whatever the
author typed, the document has the shape of the template, and her text reads as typed."""

from __future__ import annotations

import json

import pytest

from bot.core.i18n import Translator
from bot.features.admin.exports import ExportFormat
from bot.features.contributions.exports import PublicPractice, render
from tests.documents import html_read, markdown_shape, markdown_texts

HOSTILE = (
    "# Heading? <script>alert(1)</script> **bold** [x](javascript:alert(1)) @everyone\n"
    "- a list | a | table\n> quote `code`"
)


def practice(text: str, title: str = "Night buses") -> PublicPractice:
    parts = {"context": text, "lessons": "Ask the riders first."}
    return PublicPractice(
        id=1, title=title, author="Amina", community="Gender Hub Champions", language="en",
        date="2026-11-20", sections=parts,
        parts=[("Context", text), ("Lessons", "Ask the riders first.")],
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ar"])
def test_markdown_keeps_its_shape_and_the_text_reads_as_typed(language: str) -> None:
    t = Translator(language)
    plain = render([practice("Plain words.")], ExportFormat.MARKDOWN, t)
    hostile = render([practice(HOSTILE, title=HOSTILE)], ExportFormat.MARKDOWN, t)
    assert markdown_shape(hostile) == markdown_shape(plain)
    read = "\n".join(markdown_texts(hostile))
    assert "<script>alert(1)</script>" in read and "[x](javascript:alert(1))" in read


def test_html_keeps_its_shape_and_escapes_the_text() -> None:
    t = Translator("fr")
    plain = render([practice("Plain words.")], ExportFormat.HTML, t)
    hostile = render([practice(HOSTILE, title=HOSTILE)], ExportFormat.HTML, t)
    shape, texts, _attributes = html_read(hostile)
    assert shape == html_read(plain)[0]
    assert any("<script>alert(1)</script>" in text for text in texts)
    assert "Bonnes pratiques des championnes et champions" in hostile


def test_an_arabic_card_reads_right_to_left_and_json_keeps_the_sections() -> None:
    arabic = practice("حافلات ليلية تتوقف عند الطلب في المدينة")
    page = render([arabic], ExportFormat.HTML, Translator("en"))
    assert '<li class="card" dir="rtl" lang="ar">' in page
    [data] = json.loads(render([arabic], ExportFormat.JSON, Translator("en")))
    assert data["sections"]["context"].startswith("حافلات") and "parts" not in data


def test_nothing_to_publish_says_so() -> None:
    assert "No good practice is published yet." in render(
        [], ExportFormat.MARKDOWN, Translator("en")
    )
