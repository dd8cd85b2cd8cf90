"""Several dispatcher processes on one PostgreSQL database: faster together where the platform
is not the limit, never over the platform's limit where it is, nothing sent twice.

Each process runs what a bot process runs for background sends (BotApp, the dispatcher, its
APScheduler wake-ups and LISTEN/NOTIFY) with a fake platform in the process that takes
``--latency`` s per call; the parent queues the rows once every process listens (the NOTIFY
wakes them all) and gathers what each sent, with the time, when the outbox is empty.

- not limited: the platform's rate is far above what the processes reach (each process's
  workers waiting on the platform's answers are the limit: ``--concurrency`` workers, 0.2 s a
  call): throughput of 2 and 4 processes over 1 (target ≥ 1.8× with 2);
- limited: ``--limit`` messages a second for the platform, ``send_rates`` configured at
  ``--margin`` (95 %) of it as in production; the busiest second of all the processes together
  (target ≤ the limit), then the same with shared pacing off (each process
  paces itself alone, as before) to show what the shared bucket prevents.

    python bench/scaleout.py --db postgresql+asyncpg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import BotApp
from bot.config import RemindersConfig, Settings, StorageConfig
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher, DispatchScheduler
from storage.statuses import OutboxStatus
from tests.conftest import reset_postgres

ROOT = Path(__file__).resolve().parent.parent


class FakePlatform:
    """Takes ``latency`` s per call; remembers what arrived and when (wall clock)."""

    platform = Platform.TELEGRAM

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.arrivals: list[tuple[str, float]] = []

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        received = time.time()  # what the platform counts: when the request comes in
        await asyncio.sleep(self.latency)
        self.arrivals.append((reply.body.plain(), received))
        return SentMessage(Platform.TELEGRAM, recipient.chat_id, str(len(self.arrivals)))


def settings(db: str, rate: float, concurrency: int, shared: bool) -> Settings:
    return Settings(
        storage=StorageConfig(url=db),
        reminders=RemindersConfig(
            send_rates={"telegram": rate},
            concurrency=concurrency,
            chat_limits={},
            shared_pacing=shared,
            sweep_seconds=3600,
        ),
    )


async def child(args: argparse.Namespace) -> None:
    """One dispatcher process: send until the outbox is empty, then print what it sent."""
    app = await BotApp.start(
        settings(args.db, args.rate, args.concurrency, args.shared), migrate=False
    )
    platform = FakePlatform(args.latency)
    app.add_messenger(platform)
    scheduler = DispatchScheduler(Dispatcher(app))
    scheduler.start()
    assert scheduler.listener is not None
    await asyncio.wait_for(scheduler.listener.listening.wait(), 30)
    print("ready", flush=True)
    seen_work = False
    while True:
        await asyncio.sleep(0.25)
        async with app.database.unit_of_work() as uow:
            counts = await uow.outbox.counts()
        waiting = counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0)
        seen_work = seen_work or waiting > 0 or bool(counts)
        if seen_work and not waiting:
            break
    await scheduler.aclose()
    await app.close()
    print(json.dumps(platform.arrivals), flush=True)


async def scenario(
    args: argparse.Namespace,
    processes: int,
    *,
    rate: float,
    concurrency: int,
    shared: bool = True,
) -> dict[str, float]:
    await reset_postgres(args.db)
    app = await BotApp.start(settings(args.db, rate, concurrency, shared))
    command = [sys.executable, __file__, "--child", "--db", args.db, "--rate", str(rate)]
    command += ["--latency", str(args.latency), "--concurrency", str(concurrency)]
    command += [] if shared else ["--no-shared"]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # noqa: ASYNC220
        for _ in range(processes)
    ]
    for proc in children:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    now = app.clock.now()
    messages = [
        outbox.message(
            f"announcement:{n}",
            "announcement",
            Recipient(Platform.TELEGRAM, str(n), private=True),
            Reply.text(f"message {n}"),
            now,
        )
        for n in range(args.count)
    ]
    began = time.time()
    async with app.database.unit_of_work() as uow:
        await outbox.enqueue(uow, messages, now=now, wake=[])
    arrivals: list[tuple[str, float]] = []
    for proc in children:
        out, _ = await asyncio.to_thread(proc.communicate)
        arrivals += [tuple(pair) for pair in json.loads(out.strip().splitlines()[-1])]
    await app.close()
    times = sorted(at for _, at in arrivals)
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    texts = Counter(text for text, _ in arrivals)
    return {
        "seconds": times[-1] - began,
        "rate": len(arrivals) / (times[-1] - began),
        "busiest": busiest,
        "duplicates": sum(n - 1 for n in texts.values()),
        "missing": args.count - len(texts),
    }


async def run(args: argparse.Namespace) -> None:
    print(f"{args.count} messages, {args.latency * 1000:.0f} ms per call, "
          f"{args.concurrency} workers per process", flush=True)  # fmt: skip
    base = 0.0
    for processes in (1, 2, 4):
        got = await scenario(args, processes, rate=100_000, concurrency=args.concurrency)
        base = base or got["rate"]
        print(f"not limited, {processes} process(es): {got['rate']:.0f}/s = "
              f"{got['rate'] / base:.2f}× of 1; duplicates {got['duplicates']:.0f}, "
              f"missing {got['missing']:.0f}", flush=True)  # fmt: skip
    for processes in (1, 2, 4):
        got = await scenario(
            args, processes, rate=args.limit * args.margin, concurrency=4 * args.concurrency
        )
        print(f"limited to {args.limit:g}/s, {processes} process(es): {got['rate']:.0f}/s, "
              f"busiest second {got['busiest']:.0f}; duplicates {got['duplicates']:.0f}, "
              f"missing {got['missing']:.0f}", flush=True)  # fmt: skip
    got = await scenario(
        args, 4, rate=args.limit * args.margin, concurrency=4 * args.concurrency, shared=False
    )
    print(
        f"limited to {args.limit:g}/s, 4 processes, shared pacing off: {got['rate']:.0f}/s, "
        f"busiest second {got['busiest']:.0f} (what the shared bucket prevents)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="PostgreSQL URL (emptied!)")
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument(
        "--concurrency", type=int, default=4, help="workers per process (4× when limited)"
    )
    parser.add_argument("--limit", type=float, default=50.0, help="the platform's, per second")
    parser.add_argument(
        "--margin", type=float, default=0.95, help="the rate configured, as a share of the limit"
    )
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--no-shared", dest="shared", action="store_false")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(child(args) if args.child else run(args))


if __name__ == "__main__":
    main()
