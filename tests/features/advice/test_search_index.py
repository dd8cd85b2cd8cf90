"""``/search_advice`` from an index per community (issue 17, point 6).

Each test counts the service's full builds: a new question, an answer, a solved mark, a
deletion or ``/forget`` must reach the next search without one; the index ranks exactly as the
former per-query scan (kept below as the oracle); a community never sees another's questions;
another process's question reaches the next search; building never holds the event loop.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.app import BotApp
from bot.core.messages import Platform
from bot.core.vocab import THEMES, label
from bot.features.advice import index as advice_index
from bot.features.advice.index import AdviceIndex, QuestionDoc, terms
from bot.features.advice.parsing import fold
from bot.features.advice.search import GAP_SECONDS, AdviceSearch
from storage.models import Community, Question
from tests.conftest import make_settings
from tests.features.privacy.week import Person
from tests.helpers import say, texts

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def service(app: BotApp) -> AdviceSearch:
    return app.services[AdviceSearch]


# (d) the same ranking as the former scan -----------------------------------------------


def _old_terms(value: str) -> list[str]:
    return [word for word in re.findall(r"\w+", fold(value)) if len(word) > 2]


def _old_hits(term: str, words: list[str]) -> float:
    exact = sum(1 for word in words if word == term)
    if exact:
        return min(exact, 3)
    return 0.5 if any(word.startswith(term[:5]) for word in words if len(term) >= 5) else 0.0


def old_search(docs: Sequence[QuestionDoc], query: str, limit: int = 5) -> list[tuple[float, int]]:
    """``bot/features/advice/search.py`` before the index, over the same questions."""
    wanted = set(_old_terms(query))
    results = []
    for doc in docs:
        title, body = _old_terms(doc.title), _old_terms(doc.body)
        replies = [t for a in doc.answers for t in _old_terms(a)]
        themes = [t for c in doc.themes for t in _old_terms(c + " " + (label(THEMES, c) or ""))]
        score = 0.0
        for term in wanted:
            score += 3 * _old_hits(term, title) + 1.5 * _old_hits(term, themes)
            score += _old_hits(term, body)
            score += 0.7 * _old_hits(term, replies)
        if score > 0:
            score += 0.5 if doc.solved else 0
            results.append((score, doc.id))
    results.sort(key=lambda item: (-item[0], -item[1]))
    return results[:limit]


VOCABULARY = (
    "budget council councillors quota quotas candidates harassment women election electoral "
    "campaign funding training mentor network municipal parliament gender violence report "
    "hotline observers media coverage finance youth rural region caucus légal représentation "
    "presupuesto mujeres elecciones"
)
WORDS = VOCABULARY.split()


def corpus(rng: random.Random, n: int) -> list[QuestionDoc]:
    codes = [choice.value for choice in THEMES]

    def sentence(k: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(k))

    return [
        QuestionDoc(
            id=i,
            title=sentence(rng.randint(3, 8)),
            body=sentence(rng.randint(0, 20)),
            themes=tuple(rng.sample(codes, rng.randint(0, 2))),
            solved=rng.random() < 0.4,
            answers=tuple(sentence(rng.randint(2, 15)) for _ in range(rng.randint(0, 3))),
        )
        for i in range(1, n + 1)
    ]


QUERIES = [
    "budget council", "councilors quotas", "harrassment of candidates", "electorial observers",
    "municipal", "women in parliament", "funding campaigns youth", "presupuestos mujeres",
    "représentation légale", "gbv", "budgt", "zzz nothing",
]  # fmt: skip


def test_the_index_ranks_exactly_as_the_former_scan() -> None:
    rng = random.Random(17)
    docs = corpus(rng, 400)
    index = AdviceIndex(docs)
    for query in QUERIES:
        wanted = set(terms(query))
        assert index.search(wanted, 8) == old_search(docs, query, 8), query


def test_updates_in_place_rank_as_a_fresh_build() -> None:
    rng = random.Random(6)
    docs = {doc.id: doc for doc in corpus(rng, 200)}
    index = AdviceIndex(list(docs.values()))
    for changed in corpus(rng, 60)[::2]:  # edits of every other one of the first 60
        index.upsert(changed)
        docs[changed.id] = changed
    for gone in (3, 5, 150):
        index.remove(gone)
        docs.pop(gone)
    added = QuestionDoc(999, "hotline for councillors", "", (), True, ("a budget hotline",))
    index.upsert(added)
    docs[999] = added
    fresh = AdviceIndex(list(docs.values()))
    for query in QUERIES:
        wanted = set(terms(query))
        assert (
            index.search(wanted, 8)
            == fresh.search(wanted, 8)
            == old_search(list(docs.values()), query, 8)
        ), query
    assert index.dead == 33 and fresh.dead == 0


# (a), (b): built once, following every change ------------------------------------------


async def test_questions_answers_solved_marks_and_deletions_reach_the_next_search(
    app: BotApp,
) -> None:
    await service(app).ready()
    await say(app, "amina", "/ask Which quotas worked for municipal councils in your country?")
    assert "Q1" in texts(await say(app, "lucia", "/search_advice municipal quotas"))
    builds = service(app).builds
    assert builds <= 1
    # An answer's words make the question findable.
    await say(app, "grace", "/answer Q1 Zambia reserved seats through a zebra list")
    assert "Q1" in texts(await say(app, "lucia", "/search_advice zebra"))
    # A second question; the solved one (+0.5) goes first among equals.
    await say(app, "moana", "/ask Which quotas worked for municipal councils on islands?")
    found = texts(await say(app, "lucia", "/search_advice which quotas"))
    assert found.index("Q2") < found.index("Q1")  # equal scores: the newer first
    assert "marked solved" in texts(await say(app, "amina", "/solved Q1 1"))
    found = texts(await say(app, "lucia", "/search_advice which quotas"))
    assert found.index("Q1") < found.index("Q2")
    # An admin deletes Q2: it is gone from the next search.
    assert "deleted" in texts(await say(app, "sofia", "/thread delete Q2"))
    assert "Q2" not in texts(await say(app, "lucia", "/search_advice islands"))
    assert service(app).builds == max(builds, 1)  # never rebuilt for any of it
    assert service(app).applied >= 4


async def test_a_forgotten_members_text_leaves_the_results_at_once(app: BotApp) -> None:
    await service(app).ready()
    moana = Person(app, Platform.TELEGRAM, "7301234567", "Moana Tere")
    await moana.say("/ask Moana Tere asks: who has a budgeting template for island councils?")
    assert "Q1" in texts(await say(app, "lucia", "/search_advice Tere budgeting"))
    builds = service(app).builds
    assert "deleted" in await moana.say("/forget confirm")
    assert "Q1" not in texts(await say(app, "lucia", "/search_advice Tere"))
    assert "Q1" in texts(await say(app, "lucia", "/search_advice budgeting template"))
    assert service(app).builds == builds


# (c) each community searches its own questions -----------------------------------------


async def _community(app: BotApp, slug: str) -> Community:
    async with app.database.unit_of_work() as uow:
        return await uow.communities.ensure(
            slug=slug, name=slug, timezone="UTC", default_language="en", now=NOW
        )


async def _question(app: BotApp, community: Community, title: str) -> int:
    async with app.database.unit_of_work() as uow:
        row = Question(
            community_id=community.id, title=title, body="", themes=[],
            asked_platform="console", created_at=NOW,
        )  # fmt: skip
        await uow.advice.add(row)
        return row.id


async def _search(app: BotApp, community: Community, query: str) -> list[int]:
    async with app.database.unit_of_work() as uow:
        found = await service(app).search(uow, community, query)
        return [question.id for _score, question, _n in found.hits]


async def test_a_community_never_finds_another_communitys_questions(app: BotApp) -> None:
    await service(app).ready()
    north, south = await _community(app, "north"), await _community(app, "south")
    mine = await _question(app, north, "Budget hearings for councillors")
    theirs = await _question(app, south, "Budget hearings for councillors")
    assert await _search(app, north, "budget hearings") == [mine]
    assert await _search(app, south, "budget hearings") == [theirs]
    # After changes (an answer in the other community, a new question there), still apart.
    async with app.database.unit_of_work() as uow:
        await uow.session.execute(
            text("INSERT INTO answers (question_id, body, platform, created_at) "
                 "VALUES (:q, 'budget hearings notes', 'console', :at)"),
            {"q": theirs, "at": NOW},
        )  # fmt: skip
    later = await _question(app, south, "Budget hearings again")
    assert await _search(app, north, "budget hearings") == [mine]
    assert sorted(await _search(app, south, "budget hearings")) == [theirs, later]
    assert service(app).builds == 2  # one index per community, each built once


# (e) several processes on one database --------------------------------------------------


async def test_another_process_question_reaches_the_next_search(db_url: str) -> None:
    url = db_url  # SQLite, and PostgreSQL when TEST_DATABASE_URL is set
    first = await BotApp.start(make_settings(url))
    second = await BotApp.start(make_settings(url), migrate=False)
    try:
        await say(first, "amina", "/ask Who trains observers for rural polling stations?")
        assert "Q1" in texts(await say(second, "lucia", "/search_advice observers"))
        builds = service(second).builds
        await say(first, "grace", "/ask How do caucuses of women councillors keep going?")
        assert "Q2" in texts(await say(second, "lucia", "/search_advice caucuses"))
        await say(first, "sofia", "/thread delete Q1")
        assert "Q1" not in texts(await say(second, "lucia", "/search_advice observers"))
        assert service(second).builds == builds
    finally:
        await second.close()
        await first.close()


async def test_a_change_committed_after_a_later_one_is_still_applied(app: BotApp) -> None:
    """PostgreSQL hands out change numbers before commit: number n+1 may become visible after
    n+2. Forced here by renumbering rows, on SQLite, as that late commit would leave them."""
    now = [0.0]
    search = AdviceSearch(clock=lambda: now[0])
    app.services.provide(AdviceSearch, search)
    community = await _community(app, "default-late")
    first = await _question(app, community, "Mentoring new councillors")
    assert await _search(app, community, "mentoring") == [first]
    version = search.version(community.id)
    assert version is not None
    async with app.database.unit_of_work() as uow:  # n+2 commits first (a no-op change)
        await uow.session.execute(
            text("INSERT INTO advice_changes (id, community_id, question_id) VALUES (:i, :c, :q)"),
            {"i": version + 2, "c": community.id, "q": first},
        )
    assert await _search(app, community, "mentoring") == [first]
    assert search.version(community.id) == version + 2
    late = await _question(app, community, "Mentoring youth caucus leaders")
    async with app.database.unit_of_work() as uow:  # ...then n+1, the late question's
        await uow.session.execute(
            text("UPDATE advice_changes SET id = :n WHERE id = :was"),
            {"n": version + 1, "was": version + 3},
        )
    assert await _search(app, community, "caucus") == [late]
    assert search.builds == 1
    # A number never seen within GAP_SECONDS is given up (a rolled-back transaction's).
    now[0] += GAP_SECONDS + 1
    assert await _search(app, community, "caucus") == [late]
    assert search.version(community.id) == version + 2


# (f) building never holds the event loop ------------------------------------------------


async def test_building_runs_in_a_worker_thread(
    app: BotApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    await service(app).ready()
    await say(app, "amina", "/ask Which quotas worked for municipal councils?")
    fresh = AdviceSearch()
    app.services.provide(AdviceSearch, fresh)
    started, release = threading.Event(), threading.Event()
    real_build = advice_index.build

    def slow_build(docs: Sequence[QuestionDoc]) -> AdviceIndex:
        started.set()
        if not release.wait(timeout=60):
            raise TimeoutError("the test never released the build")
        return real_build(docs)

    monkeypatch.setattr(advice_index, "build", slow_build)
    searching = asyncio.create_task(say(app, "lucia", "/search_advice quotas"))
    assert await asyncio.to_thread(started.wait, 60)
    # The build is under way in its thread; the loop still runs, and reads the database.
    async with app.database.session() as session:
        assert await session.scalar(text("SELECT count(*) FROM questions")) == 1
    assert not searching.done() and fresh.builds == 0
    release.set()
    assert "Q1" in texts(await searching)
    assert fresh.builds == 1
