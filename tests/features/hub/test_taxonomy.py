"""The taxonomy round trip: every label a member reads can be typed back as a filter.

Labels are shown translated (from the catalogs) in four languages; the taxonomy file holds only
codes and synonyms. These tests type every theme, type and region label, as each language shows
it, into ``/resources`` and every theme label into ``/threads``, through the router, and expect
the item tagged with that code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import BotApp
from bot.config import HubConfig
from bot.core import vocab
from bot.core.clock import ManualClock
from bot.core.i18n import SUPPORTED_LANGUAGES, Translator, translations
from bot.features.hub import taxonomy
from bot.features.hub.text import fold_phrase
from tests.conftest import make_settings
from tests.helpers import say, texts

FILTERED_KINDS = ("theme", "type", "region")
ADMIN = "sofia"


def marker(kind: str, code: str) -> str:
    """The title of the one resource tagged with ``code`` (words no other title shares)."""
    return f"Marker {kind} {code.replace('_', ' ')}"


async def start(tmp_path: Path, clock: ManualClock) -> BotApp:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'taxonomy.db'}", hub=HubConfig(demo_catalogue=False)
    )
    return await BotApp.start(settings, clock=clock)


@pytest.fixture
async def hub_by_code(tmp_path: Path, clock: ManualClock) -> AsyncIterator[BotApp]:
    """A hub with one resource per theme, per type and per region, each tagged with that code."""
    app = await start(tmp_path, clock)
    for kind in FILTERED_KINDS:
        for term in taxonomy.terms(kind):
            # Type markers are the newest, so a type filter lists them before the others.
            fields = {
                "theme": f"type:news year:2001 themes:{term.code}",
                "region": f"type:news year:2001 regions:{term.code}",
                "type": f"type:{term.code} year:2024",
            }[kind]
            title, url = marker(kind, term.code), f"https://example.org/{kind}/{term.code}"
            command = f'/resource add title:"{title}" url:{url} {fields}'
            added = texts(await say(app, ADMIN, command))
            assert "#" in added, added
    yield app
    await app.close()


@pytest.fixture
async def threads_by_theme(tmp_path: Path, clock: ManualClock) -> AsyncIterator[BotApp]:
    """One question per expertise theme, tagged with it."""
    app = await start(tmp_path, clock)
    for choice in vocab.THEMES:
        asked = texts(await say(app, "amina", f"/ask {question(choice.value)} #{choice.value}"))
        assert "is posted" in asked, asked
    yield app
    await app.close()


def question(code: str) -> str:
    return f"Who has tried {code} here?"


def quoted(label: str) -> str:
    return f'"{label}"'


async def test_every_label_a_member_reads_filters_resources(hub_by_code: BotApp) -> None:
    refused = []
    for language in SUPPORTED_LANGUAGES:
        translator = Translator(language)
        for kind in FILTERED_KINDS:
            for term in taxonomy.terms(kind):
                query = f"/resources {kind}:{quoted(translator.gettext(term.label))}"
                found = texts(await say(hub_by_code, "amina", query, locale=language))
                if marker(kind, term.code) not in found:
                    refused.append(f"[{language}] {query} → {found[:60]!r}")
    assert refused == []


async def test_every_theme_label_a_member_reads_filters_threads(threads_by_theme: BotApp) -> None:
    refused = []
    for language in SUPPORTED_LANGUAGES:
        translator = Translator(language)
        for choice in vocab.THEMES:
            query = f"/threads all {quoted(translator.gettext(choice.label))}"
            found = texts(await say(threads_by_theme, "grace", query, locale=language))
            if question(choice.value) not in found:
                refused.append(f"[{language}] {query} → {found[:60]!r}")
            others = [c.value for c in vocab.THEMES if c != choice and question(c.value) in found]
            assert others == [], query
    assert refused == []


def test_labels_live_only_in_the_catalogs() -> None:
    """A synonym that repeats its term's label (in any language) is a second copy to drift."""
    copies = []
    for kind in FILTERED_KINDS:
        for term in taxonomy.terms(kind):
            for language, label in translations(term.label).items():
                for synonym in term.synonyms.get(language, ()):
                    if fold_phrase(synonym) == fold_phrase(label):
                        copies.append(f"{term.code} {language}: {synonym!r}")
    assert copies == []


def test_a_typed_label_names_its_own_term_first() -> None:
    """Where a label is also another term's synonym, the label wins (a filter takes the first)."""
    wrong = []
    for kind in FILTERED_KINDS:
        for term in taxonomy.terms(kind):
            for language, label in translations(term.label).items():
                codes = taxonomy.resolve(kind, label)
                if codes[:1] != (term.code,):
                    wrong.append(f"{kind} {language} {label!r} → {codes}")
    assert wrong == []
