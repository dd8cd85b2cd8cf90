"""``/find`` from a directory index per community (issue 17): built once, then followed.

Before, each ``/find`` read every findable champion and built a search index for the query
(12.3 s at 30k). Each test here counts the service's full builds and the full reads of a
community: a profile edit, ``/meet findable``, ``/meet leave`` and ``/forget`` (from this
process or another) must reach the next search without either; the followed index ranks
exactly as a fresh build of the same rows.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator, Sequence

import pytest

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub.docs import Filters
from bot.features.networking.directory import Directory
from bot.features.networking.directory_index import DirectoryIndex
from storage.repositories.directory import DirectoryRepository, DirectoryRow
from storage.repositories.members import EVERYONE
from tests.conftest import make_settings
from tests.features.networking.world import add_champions
from tests.helpers import say, texts


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """On SQLite and PostgreSQL: the triggers are written once for each."""
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    yield bot_app
    await bot_app.close()


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The communities whose every findable champion was read (a build, or the old scan)."""
    reads: list[int] = []
    real = DirectoryRepository.index_rows

    async def spy(
        self: DirectoryRepository, community_id: int, member_ids: Sequence[int] | None = None
    ) -> list[DirectoryRow]:
        if member_ids is None:
            reads.append(community_id)
        return await real(self, community_id, member_ids)

    monkeypatch.setattr(DirectoryRepository, "index_rows", spy)
    yield reads


def service(app: BotApp) -> Directory:
    return app.services[Directory]


async def _expertise(app: BotApp, name: str, codes: list[str]) -> None:
    async with app.database.unit_of_work() as uow:
        [member] = await uow.members.by_name(name, EVERYONE)
        member.expertise = codes


async def _found(app: BotApp, query: str, who: str = "hope") -> str:
    return texts(await say(app, who, f"/find {query}"))


async def test_edits_findable_leave_and_forget_reach_the_next_find_without_a_rebuild(
    app: BotApp, full_reads: list[int]
) -> None:
    await add_champions(app, ("grace", "hope", "laila", "omar"))
    await service(app).ready()
    await _expertise(app, "Grace", ["gender_budgeting"])
    assert "Grace" in await _found(app, "gender budgeting")
    builds, reads = service(app).builds, len(full_reads)
    # A profile edit: Laila's new bio finds her, and her name is searchable after a rename.
    await say(app, "laila", "/profile set bio I drafted the zebra list law for our councils")
    assert "Laila" in await _found(app, "zebra")
    await say(app, "omar", "/profile set name Omar Haddad")
    assert "Omar Haddad" in await _found(app, "haddad")
    # Withdrawing and coming back.
    await say(app, "grace", "/meet findable no")
    assert "Grace" not in await _found(app, "gender budgeting")
    await say(app, "grace", "/meet findable yes")
    assert "Grace" in await _found(app, "gender budgeting")
    await say(app, "grace", "/meet leave")
    assert "Grace" not in await _found(app, "gender budgeting")
    # Forgetting deletes the member; the cascade's deletes are logged by the trigger too.
    await say(app, "laila", "/forget confirm")
    assert "Laila" not in await _found(app, "zebra")
    # Someone new in the rounds.
    await add_champions(app, ("mei",))
    assert "Mei" in await _found(app, "mei")
    assert service(app).builds == builds  # never rebuilt for any of it
    assert len(full_reads) == reads  # and never read everyone again
    assert service(app).applied >= 7


async def test_the_one_asking_is_never_listed_and_filters_apply(app: BotApp) -> None:
    await add_champions(app, ("grace", "hope", "laila", "omar"))
    await _expertise(app, "Grace", ["gender_budgeting"])
    await _expertise(app, "Hope", ["gender_budgeting"])
    found = await _found(app, "gender budgeting", who="hope")
    assert "Grace" in found and "Hope" not in found
    # No words, only a filter: alphabetical, the asker left out.
    listed = await _found(app, "lang:english", who="grace")
    assert "Grace" not in listed
    assert listed.index("Hope") < listed.index("Laila") < listed.index("Omar")


async def test_another_process_edit_reaches_the_next_find(db_url: str) -> None:
    first = await BotApp.start(make_settings(db_url))
    second = await BotApp.start(make_settings(db_url), migrate=False)
    try:
        await add_champions(first, ("grace", "hope", "laila"))
        assert "Nobody found" in await _found(second, "zebra")
        builds = service(second).builds
        await say(first, "laila", "/profile set bio Our zebra list doubled women councillors")
        assert "Laila" in await _found(second, "zebra")
        await say(first, "laila", "/meet findable no")
        assert "Laila" not in await _found(second, "zebra")
        assert service(second).builds == builds
    finally:
        await second.close()
        await first.close()


def _row(member_id: int, rng: random.Random) -> DirectoryRow:
    words = ("budget", "quota", "mayor", "council", "trust", "training", "finance", "zebra")
    codes = ("gender_budgeting", "legal_quotas", "leadership", "participation")
    return (
        member_id,
        f"Person {member_id} {rng.choice(words)}",
        rng.choice([None, "City Council", "Association of Municipalities"]),
        " ".join(rng.choices(words, k=rng.randint(0, 8))),
        rng.sample(codes, rng.randint(0, 2)),
        rng.choice([None, "mena", "asia_pacific", "latin_america"]),
        rng.sample(["en", "fr", "es", "ar"], rng.randint(0, 2)),
        rng.choice([None, "mayor", "official"]),
    )


def test_a_followed_index_finds_what_a_fresh_build_finds() -> None:
    """Edits applied in place (positions left dead) find the same champions as a build of
    the rows as they are now, and list them by name in the same order."""
    rng = random.Random(17)
    rows = {i: _row(i, rng) for i in range(1, 201)}
    followed = DirectoryIndex(list(rows.values()))
    for _ in range(150):
        member_id = rng.randint(1, 240)
        if rng.random() < 0.2:
            rows.pop(member_id, None)
            followed.remove(member_id)
        else:
            rows[member_id] = _row(member_id, rng)
            followed.upsert(rows[member_id])
    fresh = DirectoryIndex([rows[i] for i in sorted(rows)])
    assert followed.size == fresh.size == len(rows) and followed.dead > 0
    queries = ["budget", "quota mayor", "zebra council", "", "person 12", "cuotas", "presupuesto"]
    filters = [
        Filters(),
        Filters(region="mena"),
        Filters(lang="fr"),
        Filters(region="mena", lang="ar"),
    ]
    matched = 0
    for query in queries:
        for where in filters:
            for asking in (0, 5):
                if not query:  # the list by name: exactly the same
                    want = fresh.find(query, where, 8, excluding=asking)
                    assert followed.find(query, where, 8, excluding=asking) == want
                    continue
                # Scores: an added doc is normalized by the last build's field lengths, so
                # near ties may swap; who matches at all must be the same.
                want = fresh.find(query, where, 1000, excluding=asking)
                got = followed.find(query, where, 1000, excluding=asking)
                assert sorted(got) == sorted(want), (query, where, asking)
                matched += bool(want)
    assert matched >= 30  # the queries do find people: the comparison is not of empty lists
