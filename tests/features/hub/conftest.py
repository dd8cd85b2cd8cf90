"""Fixtures of the hub tests: the sample catalogue as an index, and a migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.features.hub.index import Doc, SearchIndex
from bot.features.hub.records import docs_from_jsonl
from storage.database import Database

DATA = Path(__file__).resolve().parents[2] / "data"
SAMPLE = DATA / "hub-catalogue.sample.jsonl"


def sample_docs() -> list[Doc]:
    return docs_from_jsonl(SAMPLE)


@pytest.fixture(scope="session")
def sample_index() -> SearchIndex:
    return SearchIndex(sample_docs())


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.upgrade()
    yield db
    await db.dispose()
