"""Benchmark: the fan-outs to every champion of a community, as the community grows.

A community is filled in bulk inserts with ``--sizes`` champions (languages, zones, regions and
expertise mixed; one in seven with a second, newer account), then each fan-out runs on it in a
unit of work that is rolled back (so every run does the same work): a new question's notices
to matching champions, a call's invitations and its last call (no theme: every champion), and
``/announce champions``. Printed per path and size: the SQL statements, the messages queued,
the best wall time of ``--runs`` and that run's CPU time (``time.process_time``: the other
sessions on a shared machine disturb it much less than wall time).

    python bench/fanout.py --db postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        [--sizes 10000,30000] [--runs 2]

A fresh database is made next to the one named and dropped at the end (SQLite without ``--db``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import BotApp
from bot.config import AdminsConfig, Settings, StorageConfig
from bot.core.clock import ManualClock
from bot.features.advice.service import notify_matching_champions
from bot.features.announcements.service import publish
from bot.features.calls import reminders
from bot.features.calls.service import invite
from storage.models import Account, Community, Member, Membership, Question
from storage.models_calls import ContributorCall
from storage.statuses import AnnouncementAudience, CallKind, MembershipRole
from storage.unit_of_work import UnitOfWork
from tests.core.test_request_path import counted

THEMES = ("gender_budgeting", "gbv", "legal_quotas", "mentorship", "data", "advocacy")
LANGUAGES = (None, "fr", "es", "ar", "en")
ZONES = (None, "Africa/Tunis", "America/Bogota", "Asia/Manila")
REGIONS = ("mena", "latin_america", "west_central_africa", "asia_pacific")
BATCH = 5000

Path_ = Callable[[UnitOfWork, Community, Member, datetime], Awaitable[int]]


async def fill(app: BotApp, community_id: int, n: int, now: datetime) -> None:
    """``n`` more champions of ``community_id``, each with an account (some two)."""
    async with app.database.session() as session:
        first = int(await session.scalar(select(func.max(Member.id))) or 0) + 1
        first_account = int(await session.scalar(select(func.max(Account.id))) or 0) + 1
        ids = range(first, first + n)
        members = [
            {"id": m, "display_name": f"Champion {m}", "region": REGIONS[m % 4],
             "language": LANGUAGES[m % 5], "timezone": ZONES[m % 4], "languages": ["en"],
             "expertise": [THEMES[m % 6], THEMES[(m * 7) % 6]], "consent_publish": True,
             "onboarded": True, "created_at": now, "updated_at": now}
            for m in ids
        ]  # fmt: skip
        accounts = [
            {"id": first_account + i, "member_id": m, "platform": "console",
             "platform_user_id": f"fan{m}", "username": None, "created_at": now}
            for i, m in enumerate(ids)
        ]  # fmt: skip
        accounts += [
            {"id": first_account + n + i, "member_id": m, "platform": "telegram",
             "platform_user_id": str(10_000_000 + m), "username": None, "created_at": now}
            for i, m in enumerate(ids) if m % 7 == 0
        ]  # fmt: skip
        memberships = [
            {"community_id": community_id, "member_id": m, "role": MembershipRole.CHAMPION,
             "joined_at": now}
            for m in ids
        ]  # fmt: skip
        for model, rows in ((Member, members), (Account, accounts), (Membership, memberships)):
            for start in range(0, len(rows), BATCH):
                await session.execute(insert(model), rows[start : start + BATCH])
        await session.commit()


async def _next_id(uow: UnitOfWork, model: type[Question] | type[ContributorCall]) -> int:
    return int(await uow.session.scalar(select(func.max(model.id))) or 0) + 1


async def advice(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    question = Question(
        id=await _next_id(uow, Question), community_id=community.id, asker_id=asker.id,
        title="Budget lines?", body="Ideas?", themes=["gbv"], asked_platform="console",
        created_at=now,
    )  # fmt: skip
    await uow.advice.add(question)
    return len(await notify_matching_champions(uow, community, question, now=now, daily_cap=3))


def _call(community: Community, asker: Member, now: datetime, call_id: int) -> ContributorCall:
    return ContributorCall(
        id=call_id, community_id=community.id, kind=CallKind.REVIEWER, title="Chapter 3",
        themes=[], deadline=now + timedelta(hours=12), created_by=asker.id, created_at=now,
    )  # fmt: skip


async def invitations(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    call = _call(community, asker, now, await _next_id(uow, ContributorCall))
    uow.session.add(call)
    await uow.session.flush()
    return (await invite(uow, call, community, now))[0]


async def last_call(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    call = _call(community, asker, now, await _next_id(uow, ContributorCall))
    uow.session.add(call)
    await uow.session.flush()
    return len(await reminders._for_call(uow, call, now)) - 1


async def announce(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    audience = AnnouncementAudience.CHAMPIONS
    _announcement, queued = await publish(
        uow, community, asker, "Training on Monday", audience, ping_role=False, now=now
    )
    return queued


PATHS: dict[str, Path_] = {
    "advice notices (#gbv)": advice,
    "call invitations": invitations,
    "call last call": last_call,
    "/announce champions": announce,
}


async def measure(app: BotApp, path: Path_) -> tuple[int, int, float, float]:
    """(statements, queued, wall ms, CPU ms) of one run, rolled back."""
    async with app.database.session() as session:
        uow = UnitOfWork(session, dialect=app.database.dialect)
        community = (
            await session.scalars(select(Community).where(Community.slug == "champions"))
        ).one()
        asker = await uow.members.by_account("console", "sofia")
        assert asker is not None
        now = app.clock.now()
        with counted(app) as statements:
            wall, cpu = time.perf_counter(), time.process_time()
            queued = await path(uow, community, asker, now)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        await session.rollback()
    return len(statements), queued, wall * 1000, cpu * 1000


async def run(url: str, sizes: list[int], runs: int) -> None:
    clock = ManualClock()
    settings = Settings.model_validate(
        {"storage": StorageConfig(url=url), "admins": AdminsConfig(console=("sofia",))}
    )
    app = await BotApp.start(settings, clock=clock)
    from tests.helpers import say

    await say(app, "sofia", "/start")
    async with app.database.session() as session:
        community = await session.scalar(select(Community.id).where(Community.slug == "champions"))
    assert community is not None, "the bot creates its community at start"
    community_id = int(community)
    filled = 0
    for size in sizes:
        await fill(app, community_id, size - filled, clock.now())
        filled = size
        if app.database.dialect == "postgresql":
            async with app.database.engine.begin() as connection:
                await connection.execute(text("ANALYZE"))  # as autovacuum would soon
        for name, path in PATHS.items():
            best: tuple[int, int, float, float] | None = None
            for _ in range(runs):
                found = await measure(app, path)
                if best is None or found[2] < best[2]:
                    best = found
            assert best is not None
            statements, queued, wall, cpu = best
            print(f"{size:>7,}  {name:<24} {statements:>6} statements  {queued:>6} queued"
                  f"  {wall:>9,.0f} ms  {cpu:>9,.0f} ms CPU", flush=True)  # fmt: skip
    await app.close()


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (else SQLite)")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.db is None:
        with tempfile.TemporaryDirectory() as directory:
            await run(f"sqlite+aiosqlite:///{directory}/fanout.db", sizes, args.runs)
        return
    name = f"fanout_{uuid.uuid4().hex[:8]}"
    base = make_url(args.db)
    await _admin(base.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"')
    try:
        await run(base.set(database=name).render_as_string(hide_password=False), sizes, args.runs)
    finally:
        await _admin(base.render_as_string(hide_password=False), f'DROP DATABASE "{name}"')


if __name__ == "__main__":
    asyncio.run(main())
