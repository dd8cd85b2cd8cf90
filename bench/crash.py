"""kill -9 in the middle of a reminder fan-out, several times in a row, then count.

A dispatcher process (``tests/delivery/sender_process.py``: the real python-telegram-bot or
discord.py messenger, the dispatcher, its APScheduler wake-ups) sends reminders to a loopback
Telegram or Discord (``tests/fakes``). It is killed with SIGKILL each time the platform has
received the next of ``--kills`` messages, and restarted at once. Prints, per run, the
messages per recipient (duplicates, missing) and the time from the last restart to the last
message received.

    python bench/crash.py [--platform telegram|discord|both] [--db URL] [--count 1000]
                          [--kills 250,500,750] [--lease 15] [--rate 200] [--runs 1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.delivery.crash import fan_out_with_kills


async def run(args: argparse.Namespace) -> bool:
    platforms = ["telegram", "discord"] if args.platform == "both" else [args.platform]
    kills = tuple(int(k) for k in args.kills.split(","))
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        for platform in platforms:
            for run_number in range(args.runs):
                url = args.db or f"sqlite+aiosqlite:///{folder}/{platform}-{run_number}.db"
                if args.db:
                    await reset(args.db)
                report = await fan_out_with_kills(
                    platform,
                    url,
                    Path(folder) / "dispatcher.log",
                    count=args.count,
                    kills=kills,
                    lease=args.lease,
                    rate=args.rate,
                )
                print(
                    f"{platform:9} run {run_number + 1}: killed at {report.killed_at}, "
                    f"{report.count} recipients, {report.duplicates} duplicates, "
                    f"{report.missing} missing, last message {report.restart_to_last:.1f} s "
                    f"after the last restart ({report.elapsed:.0f} s in all)",
                    flush=True,
                )
                ok = ok and report.missing == 0 and report.restart_to_last < 30
    return ok


async def reset(url: str) -> None:
    """An empty PostgreSQL schema for each run."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=["telegram", "discord", "both"], default="both")
    parser.add_argument("--db", default=None, help="PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kills", default="250,500,750")
    parser.add_argument("--lease", type=int, default=15)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    # A killed process drops its connections mid-request: the server logs each; that is expected.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    sys.exit(0 if asyncio.run(run(args)) else 1)


if __name__ == "__main__":
    main()
