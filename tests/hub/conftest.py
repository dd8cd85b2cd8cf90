"""Fixtures of the hub tests: the sample catalogue as an index, and a migrated database."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.hub.index import Doc, SearchIndex
from bot.hub.records import clean
from storage.database import Database

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = DATA / "hub-catalogue.sample.jsonl"


def sample_docs() -> list[Doc]:
    docs = []
    for number, text in enumerate(SAMPLE.read_text(encoding="utf-8").splitlines(), start=1):
        _key, v = clean(json.loads(text))
        docs.append(
            Doc(
                number,
                v["title"],
                v["summary"],
                v["url"],
                v["type"],
                tuple(v["themes"]),
                tuple(v["regions"]),
                tuple(v["languages"]),
                v["publisher"],
                v["year"],
            )
        )
    return docs


@pytest.fixture(scope="session")
def sample_index() -> SearchIndex:
    return SearchIndex(sample_docs())


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.upgrade()
    yield db
    await db.dispose()
