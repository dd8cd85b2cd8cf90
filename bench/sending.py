"""Fair sending: what one busy chat, one 429 or one big fan-out costs everyone else.

The outbox, claims, dispatcher and its APScheduler wake-ups are the real thing on a SQLite file
(or ``--db`` PostgreSQL, emptied); the platform is a Telegram-like fake in this process: each
call takes ``--latency`` s, a group takes 20 messages a minute (a send over it waits inside
the call, as python-telegram-bot's rate limiter does), and scripted 429s are answered for one
chat. Each figure is a ratio or a wait measured side by side in one run:

- relay: a relayed answer queued 2 s into a 10,000-row announcement at ``--rate`` (Telegram's
  25/s): how long it waits until sent (target ≤ 2 s);
- group: private messages' rate while one group with a backlog is at its 20-a-minute limit,
  over their rate without the group (target ≥ 0.9×);
- 429: a fan-out's duration for every other chat when one chat answers 429 (retry after 3 s,
  twice), over the same fan-out without it (target ≤ 1.2×);
- reminders: 10,000 reminders due at T, behind a backlog of announcements, at ``--fast-rate``
  (the grace window scaled by the same factor as the rate, 15 min at 25/s): how many leave
  after the window (target 0), and when the first and last leave.

    python bench/sending.py [--rate 25] [--fast-rate 500] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import BotApp
from bot.config import RemindersConfig, Settings, StorageConfig
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import RateLimitedError
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher, DispatchScheduler
from storage.repositories.outbox import NewMessage
from storage.statuses import OutboxStatus
from tests.conftest import reset_postgres

GROUP = "-100"


@dataclass
class FakeTelegram:
    """Telegram-like: latency per call, 20 messages a minute per group (waited out inside
    the call, like PTB's limiter), and scripted 429s for one chat."""

    platform: Platform = Platform.TELEGRAM
    latency: float = 0.002
    limited_chat: str | None = None
    limited_times: int = 0
    retry_after: float = 3.0
    arrivals: list[tuple[str, str, float]] = field(default_factory=list)
    groups: dict[str, tuple[float, float]] = field(default_factory=dict)

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        chat = recipient.chat_id
        if not recipient.private:  # 20 a minute: wait in the call, as PTB's limiter does
            level, at = self.groups.get(chat, (0.0, time.monotonic()))
            level = max(level - (time.monotonic() - at) / 3, 0.0)  # a leaky bucket of 20
            if level + 1 > 20:
                await asyncio.sleep((level + 1 - 20) * 3)
                level = 19.0
            self.groups[chat] = (level + 1, time.monotonic())
        await asyncio.sleep(self.latency)
        if chat == self.limited_chat and self.limited_times > 0:
            self.limited_times -= 1
            raise RateLimitedError("429", retry_after=self.retry_after, scope="chat")
        self.arrivals.append((chat, reply.body.plain(), time.monotonic()))
        return SentMessage(Platform.TELEGRAM, chat, str(len(self.arrivals)))


def rows(
    kind: str, chats: range | list[str], due: datetime, *, private: bool = True
) -> list[NewMessage]:
    return [
        outbox.message(
            f"{kind}:{chat}",
            kind,
            Recipient(Platform.TELEGRAM, str(chat), private=private),
            Reply.text(f"{kind} {chat}"),
            due,
        )
        for chat in chats
    ]


@asynccontextmanager
async def bot(db: str | None, config: RemindersConfig) -> AsyncIterator[BotApp]:
    with tempfile.TemporaryDirectory() as tmp:
        url = db or f"sqlite+aiosqlite:///{tmp}/bench.db"
        if db:
            await reset_postgres(db)
        app = await BotApp.start(Settings(storage=StorageConfig(url=url), reminders=config))
        try:
            yield app
        finally:
            await app.close()


async def put(app: BotApp, messages: list[NewMessage]) -> None:
    async with app.database.unit_of_work() as uow:
        await outbox.enqueue(uow, messages, now=app.clock.now())


def config(rate: float, **more: object) -> RemindersConfig:
    values: dict[str, object] = {
        "send_rates": {"telegram": rate},
        "concurrency": 4,
        "chat_limits": {"telegram.group": "20/60"},
        "sweep_seconds": 3600,
    }
    values.update(more)
    return RemindersConfig.model_validate(values)


async def relay_wait(args: argparse.Namespace) -> float:
    """Seconds a relayed answer waits, queued 2 s into a 10,000-row announcement."""
    async with bot(args.db, config(args.rate)) as app:
        platform = FakeTelegram()
        app.add_messenger(platform)
        scheduler = DispatchScheduler(Dispatcher(app))
        scheduler.start()
        await put(app, rows("announcement", range(args.count), app.clock.now()))
        await asyncio.sleep(2)
        queued = time.monotonic()
        await put(app, rows("advice.answer", ["member"], app.clock.now()))
        while not any(chat == "member" for chat, _, _ in platform.arrivals):  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        waited = next(at for chat, _, at in platform.arrivals if chat == "member") - queued
        await scheduler.aclose()
        return waited


async def private_rate(args: argparse.Namespace, *, with_group: bool) -> float:
    """Private messages per second, with or without a limited group's backlog beside them."""
    async with bot(args.db, config(args.fast_rate / 5)) as app:
        platform = FakeTelegram()
        app.add_messenger(platform)
        now = app.clock.now()
        backlog = rows("announcement", [GROUP] * 1, now, private=False)
        group = [replace(backlog[0], idempotency_key=f"g{n}") for n in range(200)]
        if with_group:
            await put(app, group)
        await put(app, rows("advice.notice", range(args.private), now))
        dispatcher = Dispatcher(app)
        began = time.monotonic()
        running = asyncio.create_task(dispatcher.run_due())
        while sum(1 for chat, _, _ in platform.arrivals if chat != GROUP) < args.private:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        elapsed = time.monotonic() - began
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        return args.private / elapsed


async def fan_out_time(args: argparse.Namespace, *, limited: bool) -> float:
    """Seconds until every chat but the limited one has its message."""
    async with bot(args.db, config(args.fast_rate / 5)) as app:
        platform = FakeTelegram(limited_chat="7" if limited else None, limited_times=2)
        app.add_messenger(platform)
        await put(app, rows("announcement", range(args.private), app.clock.now()))
        began = time.monotonic()
        await Dispatcher(app).run_due()
        others = [at for chat, _, at in platform.arrivals if chat != "7"]
        return max(others) - began


async def reminders_window(args: argparse.Namespace) -> dict[str, float]:
    """10,000 reminders due at T behind a backlog: when they leave, and how many are late."""
    scale = args.fast_rate / 25  # Telegram's rate → the bench's
    grace = 15 * 60 / scale
    async with bot(args.db, config(args.fast_rate, early_max_minutes=15)) as app:
        platform = FakeTelegram(latency=0.001)
        app.add_messenger(platform)
        now = app.clock.now()
        lead = 1.25 * 1.5 * args.count / args.fast_rate + 10  # T: the early window fits
        due = now + timedelta(seconds=lead)
        await put(app, rows("announcement", range(args.count // 2), now))
        await put(app, rows("reminder", range(args.count), due))
        scheduler = DispatchScheduler(Dispatcher(app))
        scheduler.start()
        await scheduler.arm()
        t_zero = time.monotonic() + lead
        deadline = t_zero + grace + 30
        while time.monotonic() < deadline:
            if sum(1 for _, text, _ in platform.arrivals if text.startswith("reminder")) >= (
                args.count
            ):
                break
            await asyncio.sleep(0.05)
        await scheduler.aclose()
        times = [at - t_zero for _, text, at in platform.arrivals if text.startswith("reminder")]
        async with app.database.unit_of_work() as uow:
            missed = (await uow.outbox.counts_with_prefix("reminder:")).get(OutboxStatus.MISSED, 0)
        return {
            "sent": len(times),
            "first": min(times),
            "last": max(times),
            "late": sum(1 for t in times if t > grace) + (args.count - len(times)),
            "after_due": sum(1 for t in times if t > 0),
            "missed": missed,
            "grace": grace,
        }


async def run(args: argparse.Namespace) -> None:
    print(f"database: {'PostgreSQL' if args.db else 'SQLite'}", flush=True)
    if args.only == "reminders":
        return await print_reminders(args)
    waited = await relay_wait(args)
    print(f"relay behind a {args.count:,}-row fan-out at {args.rate:g}/s: waited {waited:.2f} s"
          f" (target ≤ 2 s)", flush=True)  # fmt: skip
    alone = await private_rate(args, with_group=False)
    beside = await private_rate(args, with_group=True)
    print(f"private chats' rate beside a limited group: {beside:.0f}/s vs {alone:.0f}/s alone ="
          f" {beside / alone:.2f}× (target ≥ 0.9×)", flush=True)  # fmt: skip
    clean = await fan_out_time(args, limited=False)
    hit = await fan_out_time(args, limited=True)
    print(f"fan-out to {args.private} chats, one chat answering 429 twice: {hit:.1f} s vs"
          f" {clean:.1f} s = {hit / clean:.2f}× (target ≤ 1.2×)", flush=True)  # fmt: skip
    await print_reminders(args)


async def print_reminders(args: argparse.Namespace) -> None:
    window = await reminders_window(args)
    print(
        f"{args.count:,} reminders behind {args.count // 2:,} announcements at "
        f"{args.fast_rate:g}/s (grace scaled to {window['grace']:.0f} s): "
        f"first {window['first']:+.1f} s, last {window['last']:+.1f} s from due; "
        f"{window['after_due']:.0f} after due, "
        f"{window['late']:.0f} beyond the grace window, {window['missed']:.0f} recorded missed "
        "(target 0)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument("--rate", type=float, default=25.0, help="Telegram's rate, per second")
    parser.add_argument("--fast-rate", type=float, default=500.0)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--private", type=int, default=1000)
    parser.add_argument("--only", choices=["reminders"], default=None)
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
