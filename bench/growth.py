"""Benchmark: time and SQL statements of reports, exports and searches as the data grows.

One community is filled in bulk inserts (``tests/growth_data.py`` and ``tests/growth_more.py``:
champions spread over roles, regions, languages and themes who publish their profile,
questions half solved with two answers each, approved and pending stories, pairing rounds,
calls for contributors, talks, good practices, pending shares, shared assessments and audit
entries) to 1k, 10k and 30k rows of each, and at each size every command below (every export
kind in every format, and the admin listings) runs through the router as the console would
send it. Printed per command and size, as it goes and as a table at the end: the SQL
statements it ran (the target: the same at every size) and its time (the best of two runs;
the target: under 1 s at 30k on PostgreSQL) with that run's CPU time. On PostgreSQL the
tables are analysed after each fill, as autovacuum would do soon after a bulk load (without it
the planner guesses blindly).

Run: ``python bench/growth.py`` (SQLite; ``--sizes 1000,10000`` for a quicker run) and
``python bench/growth.py --db postgresql+asyncpg://postgres@127.0.0.1:5432/test`` (or with
``TEST_DATABASE_URL`` set) for PostgreSQL: a fresh database is made next to the one named and
dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.app import BotApp  # noqa: E402
from bot.config import AdminsConfig, Settings, StorageConfig  # noqa: E402
from bot.core.clock import ManualClock  # noqa: E402
from bot.core.followed import FollowedIndexes  # noqa: E402
from bot.features.advice.search import AdviceSearch  # noqa: E402
from bot.features.networking.directory import Directory  # noqa: E402
from storage.models import Community  # noqa: E402
from tests.core.test_request_path import counted  # noqa: E402
from tests.growth_data import fill  # noqa: E402
from tests.helpers import say  # noqa: E402

EXPORTS = [
    f"/export {kind} {fmt}"
    for kind in ("profiles", "stories", "threads", "networking", "recognition")
    for fmt in ("json", "csv", "markdown", "html")
]
COMMANDS = [
    "/stats 30",
    "/digest",
    *(f"/digest export {fmt}" for fmt in ("json", "markdown", "html")),
    *EXPORTS,
    *(f"/practice export {fmt}" for fmt in ("json", "markdown", "html")),
    "/assess export json",
    "/assess export csv",
    "/assess network csv",
    "/champion list",
    "/story pending",
    "/review",
    "/audit 100",
    "/resource flags",
    "/threads",
    "/threads solved",
    "/search_advice budget council",
    "/find budget",
    "/meet report",
    "/call list",
]


async def _admin_db(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


FIRST: dict[tuple[str, int], float] = {}
"""The first run's time after each fill: for /search_advice and /find it is the answer from the
index it has (a bulk fill is rebuilt in the background); the best of two is the steady search,
measured once that build is done."""
BUILT: dict[Any, float] = {}
"""/search_advice, /find: from the first search after a fill to the end of the background build
(when a search sees every question or champion again)."""


CPU: dict[tuple[str, int], float] = {}
"""The CPU time of the best run (every thread of the process: an export writes its document
in a worker thread). On a shared machine it is the steadier figure: wall time counts the
neighbours."""


def _followed(command: str) -> type[FollowedIndexes[Any, Any]] | None:
    """The index service a search command answers from (its first run after a fill answers
    from the index it has while the background build runs)."""
    services: dict[str, type[FollowedIndexes[Any, Any]]] = {
        "/search_advice": AdviceSearch,
        "/find": Directory,
    }
    return services.get(command.split()[0])


async def _measure(app: BotApp, command: str) -> tuple[int, float, float, float]:
    best = float("inf")
    first = 0.0
    cpu = 0.0
    statements = 0
    followed = _followed(command)
    if followed is not None:
        started = time.perf_counter()
        assert await say(app, "sofia", command), command
        first = time.perf_counter() - started
        await app.services[followed].ready()
        BUILT[command] = time.perf_counter() - started
    for run in range(2):
        with counted(app) as seen:
            started, started_cpu = time.perf_counter(), time.process_time()
            replies = await say(app, "sofia", command)
            took = time.perf_counter() - started
            if took < best:
                best, cpu = took, time.process_time() - started_cpu
            first = took if run == 0 and not first else first
        assert replies, command
        statements = len(seen)
    return statements, best, first, cpu


async def run(url: str, sizes: list[int], label: str) -> dict[tuple[str, int], tuple[int, float]]:
    settings = Settings.model_validate(
        {"storage": StorageConfig(url=url), "admins": AdminsConfig(console=("sofia",))}
    )
    clock = ManualClock()
    app = await BotApp.start(settings, clock=clock)
    results: dict[tuple[str, int], tuple[int, float]] = {}
    try:
        await say(app, "sofia", "/start")
        async with app.database.session() as session:
            community = int(await session.scalar(select(Community.id).order_by(Community.id)) or 0)
        filled = 0
        for size in sizes:
            started = time.perf_counter()
            await fill(app.database, community, size - filled, clock.now())
            filled = size
            if app.database.engine.dialect.name == "postgresql":
                async with app.database.engine.begin() as connection:
                    await connection.execute(text("ANALYZE"))  # as autovacuum would soon
            print(
                f"[{label}] filled to {size:,} in {time.perf_counter() - started:.1f} s", flush=True
            )
            for command in COMMANDS:
                statements, best, first, cpu = await _measure(app, command)
                results[(command, size)] = statements, best
                FIRST[(command, size)] = first
                if command in BUILT:
                    BUILT[(command, size)] = BUILT.pop(command)
                CPU[(command, size)] = cpu
                print(
                    f"  {command:32}{statements:>7} / {best * 1000:>7.0f}"
                    f"  (CPU {cpu * 1000:.0f} ms)",
                    flush=True,
                )
    finally:
        await app.close()
    return results


def report(label: str, sizes: list[int], results: dict[tuple[str, int], tuple[int, float]]) -> None:
    print(f"\n{label}: statements / milliseconds at each size (best of two runs)")
    header = f"{'command':32}" + "".join(f"{f'{size:,}':>18}" for size in sizes) + "  flat?"
    print(header)
    for command in COMMANDS:
        cells = [results[(command, size)] for size in sizes]
        flat = "yes" if len({count for count, _t in cells}) == 1 else "NO"
        row = "".join(f"{count:>7} / {seconds * 1000:>7.0f}" for count, seconds in cells)
        print(f"{command:32}{row}  {flat}")
        cpus = "".join(f"{CPU[(command, size)] * 1000:>18.0f}" for size in sizes)
        print(f"{'  CPU ms of that run':32}{cpus}")
        if _followed(command) is not None:
            firsts = "".join(f"{FIRST[(command, size)] * 1000:>18.0f}" for size in sizes)
            print(f"{'  first run after the fill, ms':32}{firsts}")
            built = "".join(f"{BUILT[(command, size)] * 1000:>18.0f}" for size in sizes)
            print(f"{'  ...until the build is done, ms':32}{built}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--db", default=os.environ.get("TEST_DATABASE_URL"),
                        help="a PostgreSQL URL (a fresh database is made beside it)")  # fmt: skip
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--only", default="", help="only the commands starting with this (several: a|b)"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if args.only:
        wanted = tuple(args.only.split("|"))
        COMMANDS[:] = [command for command in COMMANDS if command.startswith(wanted)]
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            report("SQLite", sizes, await run(url, sizes, "SQLite"))
    if args.db:
        name = f"champions_bench_{uuid.uuid4().hex[:8]}"
        await _admin_db(args.db, f'CREATE DATABASE "{name}"')
        url = make_url(args.db).set(database=name).render_as_string(hide_password=False)
        try:
            report("PostgreSQL", sizes, await run(url, sizes, "PostgreSQL"))
        finally:
            await _admin_db(args.db, f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
