"""Exports for the hub website and the newsletter: clean Markdown, and no text can add markup.

Each document is read back (markdown-it-py for Markdown, html.parser for HTML) and compared with
the same export made of harmless placeholders: same shape, and exactly the typed text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from markupsafe import escape

from bot.app import BotApp
from bot.core.i18n import Translator
from bot.features.admin.exports import (
    ExportFormat,
    ExportKind,
    NetworkingFigures,
    PublicProfile,
    PublicStory,
    PublicThread,
    render,
    render_csv,
)
from bot.features.calls.recognition import PublicRecognition
from tests.documents import html_read, markdown_shape, markdown_texts
from tests.helpers import say

HOSTILE = [
    "*Amina*",
    "_Grace_",
    "[x](https://evil.example)",
    "`code`",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "# Heading",
    "1. First",
    "- item",
    "> quote",
    "Q | A | B",
    "**bold** ~~gone~~",
    "&amp; &#42;",
    "Trailing ##",
    "back\\",
]
PLAIN = [f"Plain{index}" for index in range(len(HOSTILE))]


def _profiles(values: Sequence[str]) -> list[PublicProfile]:
    return [
        PublicProfile(v, v, v, "Tunisia", v, ["English"], [v, "Budgets"], v, True) for v in values
    ]


def _stories(values: Sequence[str]) -> list[PublicStory]:
    return [PublicStory(v, v, v, "2026-11-27") for v in values]


def _threads(values: Sequence[str]) -> list[PublicThread]:
    answers = [{"author": "", "text": "", "best": "yes"}, {"author": "", "text": "", "best": "no"}]
    return [
        PublicThread(f"Q{n}", v, v, "open", [], [{**a, "author": v, "text": v} for a in answers])
        for n, v in enumerate(values)
    ]


def _networking(values: Sequence[str]) -> list[NetworkingFigures]:
    """The figures name no one; the region names are the only words (translated labels):
    hostile ones must still come out as typed."""
    regions = list(values[:6])
    matrix = [[i + j for j in range(6)] for i in range(6)]
    return [NetworkingFigures(12, 1, 2, 3, 18, 20, 15, 0.75, 0, 0.0, regions, matrix)]


def _recognition(values: Sequence[str]) -> list[PublicRecognition]:
    return [PublicRecognition(v, 2, 1, 0, 3) for v in values]


BUILD: dict[ExportKind, Callable[[Sequence[str]], Sequence[Any]]] = {
    ExportKind.PROFILES: _profiles,
    ExportKind.STORIES: _stories,
    ExportKind.THREADS: _threads,
    ExportKind.NETWORKING: _networking,
    ExportKind.RECOGNITION: _recognition,
}


def _typed(run: str) -> str:
    """A run of the placeholder export with each placeholder replaced by the hostile text."""
    return re.sub(r"Plain(\d+)", lambda match: HOSTILE[int(match.group(1))], run)


def _both(kind: ExportKind, fmt: ExportFormat) -> tuple[str, str]:
    t = Translator("en")
    hostile = render(kind, fmt, "Title", BUILD[kind](HOSTILE), t)
    plain = render(kind, fmt, "Title", BUILD[kind](PLAIN), t)
    return hostile, plain


@pytest.mark.parametrize("kind", list(ExportKind))
def test_markdown_export_keeps_its_shape_and_reads_as_typed(kind: ExportKind) -> None:
    hostile, plain = _both(kind, ExportFormat.MARKDOWN)
    assert markdown_shape(hostile) == markdown_shape(plain)
    assert markdown_texts(hostile) == [_typed(run) for run in markdown_texts(plain)]


@pytest.mark.parametrize("kind", list(ExportKind))
def test_html_export_escapes_everything(kind: ExportKind) -> None:
    hostile, plain = _both(kind, ExportFormat.HTML)
    hostile_tags, hostile_texts, hostile_attributes = html_read(hostile)
    plain_tags, plain_texts, plain_attributes = html_read(plain)
    assert hostile_tags == plain_tags
    assert hostile_texts == [_typed(run) for run in plain_texts]
    assert hostile_attributes == plain_attributes
    assert "<script" not in hostile and "<img" not in hostile and "&lt;script&gt;" in hostile


@pytest.mark.parametrize("kind", list(ExportKind))
def test_csv_export_reads_back_as_typed_and_never_as_a_formula(kind: ExportKind) -> None:
    values = ['=HYPERLINK("https://evil.example")', "+1", "-2", "@SUM(A1)", *HOSTILE][:15]
    text = render_csv(kind, BUILD[kind](values))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert '\'=HYPERLINK("https://evil.example")' in cells


def test_an_empty_export_says_so() -> None:
    t = Translator("fr")
    page = render(ExportKind.STORIES, ExportFormat.HTML, "Titre", [], t)
    assert '<html lang="fr" dir="ltr">' in page
    assert f"<li>{escape(t.gettext('Nothing to show yet.'))}</li>" in page
    assert render(ExportKind.STORIES, ExportFormat.MARKDOWN, "Titre", [], t) == "# Titre\n"


async def test_newsletter_markdown_has_no_needless_backslashes(app: BotApp) -> None:
    bio = "Since 2026-11-27 I run Q&A sessions on gender budgeting for LGAs (local authorities)."
    await say(app, "amina", "/profile set country Philippines")
    await say(app, "amina", "/profile set organisation Quezon City Council (LGU)")
    await say(app, "amina", f"/profile set bio {bio}")
    await say(app, "amina", "/profile set publish yes")
    await say(app, "sofia", "/champion approve amina")
    story = "Our council adopted a 30% quota, e.g. for committee chairs, on 2026-11-27!"
    await say(app, "amina", f"/story {story}")
    await say(app, "sofia", "/story approve 1")
    await say(app, "amina", "/ask How do LGAs (local authorities) fund shelters, e.g. in 2026-27?")
    answer = "We used a 2026-27 budget line (see the Q&A notes, p. 4) - it worked."
    await say(app, "lucia", f"/answer Q1 {answer}")

    exported = {}
    for kind in ExportKind:
        replies = await say(app, "sofia", f"/export {kind.value} markdown")
        exported[kind] = replies[0].attachments[0].data.decode()
        assert "\\" not in exported[kind], exported[kind]
    assert bio in exported[ExportKind.PROFILES]
    assert "- Quezon City Council (LGU)" in exported[ExportKind.PROFILES]
    assert story in exported[ExportKind.STORIES]
    assert "fund shelters, e.g. in 2026-27?" in exported[ExportKind.THREADS]
    assert f"**A champion**: {answer}" in exported[ExportKind.THREADS]
