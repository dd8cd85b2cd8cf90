"""Order per chat and duplicates under slow answers, through the real adapters.

The messengers are the real ones (python-telegram-bot, discord.py) against the loopback servers
of ``tests/fakes``, which inject faults; the outbox, claims and dispatcher are the real thing on
a SQLite file (or ``--db`` PostgreSQL, emptied). Retries' backoff is skipped with a manual
clock, so a run takes seconds.

order: ``--count`` messages (relayed answers) to ``--chats`` chats, with random latency up to
``--jitter`` s per call, some 429s and 5xx. Prints, per platform, the messages out of place
(how many would have to move to restore each chat's order), duplicates and missing.

slow: reminders and relayed answers, where ``--slow`` sends are handled by the platform but
answered after the client's timeout. Prints, per platform and kind, what the chats show.

    python bench/delivery.py order [--count 1000] [--chats 10] [--jitter 0.02]
    python bench/delivery.py slow [--count 30] [--slow 30]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import BotApp
from bot.config import DiscordConfig, RemindersConfig, Settings, StorageConfig, TelegramConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from storage.repositories.outbox import NewMessage
from tests.delivery.helpers import DUE, chat_rows, drain, enqueue, statuses
from tests.delivery.sender_process import close, messenger_for
from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram, Fault

MESSAGES = r"^/channels/\d+/messages$"


@dataclass
class Edge:
    """One platform's loopback server, its chats, and what they show."""

    name: str
    server: Any
    chats: list[str]

    def shown(self, chat: str) -> list[str]:
        if self.name == "telegram":
            return [s.text for s in self.server.sent if str(s.chat_id) == chat]
        return [s.content for s in self.server.sent if s.channel_id == chat]


@asynccontextmanager
async def edge(name: str, chats: int) -> AsyncIterator[Edge]:
    if name == "telegram":
        telegram = FakeTelegram()
        await telegram.start()
        try:
            yield Edge(name, telegram, [str(-3000 - n) for n in range(chats)])
        finally:
            await telegram.stop()
        return
    async with FakeDiscord() as discord:
        ids = [discord.new_id() for _ in range(chats)]
        for index, channel in enumerate(ids):
            discord.add_channel(channel, f"chat-{index}", 0)
        yield Edge(name, discord, ids)


@asynccontextmanager
async def bot(url: str, where: Edge, wait: float) -> AsyncIterator[BotApp]:
    """The bot's outbox on ``url``, sending to ``where``, waiting ``wait`` s for answers."""
    api = where.server.base_url if where.name == "telegram" else where.server.api_base_url
    settings = Settings(
        storage=StorageConfig(url=url),
        reminders=RemindersConfig(send_rates={where.name: 5000.0}, concurrency=4),
        telegram=TelegramConfig(api_base_url=api),
        discord=DiscordConfig(api_base_url=api),
    )
    app = await BotApp.start(settings, clock=ManualClock(DUE))
    messenger = await messenger_for(where.name, settings, wait=wait)
    app.add_messenger(messenger)
    try:
        yield app
    finally:
        await close(messenger)
        await app.close()


def rows_for(where: Edge, kind: str, per_chat: int, label: str = "") -> list[NewMessage]:
    platform = Platform(where.name)
    rows = chat_rows(len(where.chats), per_chat, kind=kind, platform=platform, label=label)
    return [replace(row, chat_id=where.chats[int(row.chat_id[1:])]) for row in rows]


def out_of_place(shown: list[str], expected: list[str]) -> int:
    """Messages that would have to move to restore the order (length minus the longest run in
    order); duplicates count once."""
    rank = {text: n for n, text in enumerate(expected)}
    seen: set[str] = set()
    tails: list[int] = []
    for text in shown:
        if text in seen or text not in rank:
            continue
        seen.add(text)
        position = bisect.bisect_left(tails, rank[text])
        tails[position : position + 1] = [rank[text]]
    return len(seen) - len(tails)


async def order(name: str, url: str, args: argparse.Namespace) -> bool:
    per_chat = args.count // args.chats
    async with edge(name, args.chats) as where, bot(url, where, wait=10) as app:
        server = where.server
        server.jitter = args.jitter
        if name == "telegram":
            server.faults = [
                Fault("sendMessage", status=500, count=5),  # outlasts the in-place retries
                Fault("sendMessage", status=429, retry_after=1, count=2, chance=0.01),
                Fault("sendMessage", status=500, count=40, chance=0.05),
                Fault("sendMessage", status=502, count=20, chance=0.03),
            ]
        else:
            server.fail_next("POST", MESSAGES, 503, count=40, chance=0.04)
            server.fail_next("POST", MESSAGES, 500, count=2, chance=0.01)
            server.rate_limit_randomly("POST", MESSAGES, chance=0.03, count=20, retry_after=0.05)
        await enqueue(app, rows_for(where, "advice.answer", per_chat))
        clock = app.clock
        assert isinstance(clock, ManualClock)
        await drain(Dispatcher(app, batch_size=64), clock)
        moved = duplicates = missing = 0
        for index, chat in enumerate(where.chats):
            expected = [f"c{index}:{n}" for n in range(per_chat)]
            shown = where.shown(chat)
            moved += out_of_place(shown, expected)
            duplicates += len(shown) - len(set(shown))
            missing += len(set(expected) - set(shown))
        faults = (
            sum(1 for c in server.calls if c.status != 200)
            if name == "telegram"
            else (len(server.failed) + len(server.rate_limited))
        )
        print(
            f"order    {name:9} {per_chat * args.chats} messages to {args.chats} chats, "
            f"{faults} faults met: {moved} out of place, {duplicates} duplicates, "
            f"{missing} missing",
            flush=True,
        )
        return moved == duplicates == missing == 0


async def slow(name: str, url: str, args: argparse.Namespace) -> bool:
    per_chat = max(1, args.count // 5)
    async with edge(name, 5) as where, bot(url, where, wait=0.3) as app:
        server = where.server
        if name == "telegram":
            server.faults = [Fault("sendMessage", status=200, answer_delay=0.6, count=args.slow)]
        else:
            server.slow("POST", MESSAGES, answer_after=0.6, count=args.slow)
        reminders = rows_for(where, "reminder", per_chat, label="reminder ")
        relays = rows_for(where, "advice.answer", per_chat, label="answer ")
        await enqueue(app, [row for pair in zip(reminders, relays, strict=True) for row in pair])
        clock = app.clock
        assert isinstance(clock, ManualClock)
        await drain(Dispatcher(app), clock)
        shown = Counter(text for chat in where.chats for text in where.shown(chat))
        done = await statuses(app)
        for kind, label in (("reminder", "reminder "), ("relay", "answer ")):
            texts = {t: n for t, n in shown.items() if t.startswith(label)}
            expected = per_chat * len(where.chats)
            print(
                f"slow     {name:9} {kind:8} {expected} sent: {sum(texts.values())} shown, "
                f"{sum(n - 1 for n in texts.values())} duplicates, "
                f"{expected - len(texts)} missing",
                flush=True,
            )
        met = args.slow - (server.slow_left() if name == "discord" else server.faults[0].count)
        print(
            f"slow     {name:9} {met} slow answers met; rows: {dict(done)}",
            flush=True,
        )
        return len(shown) == 2 * per_chat * len(where.chats)


async def run(args: argparse.Namespace) -> bool:
    scenario = order if args.scenario == "order" else slow
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        for name in ("telegram", "discord"):
            url = args.db or f"sqlite+aiosqlite:///{folder}/{name}.db"
            if args.db:
                from bench.crash import reset

                await reset(args.db)
            ok = await scenario(name, url, args) and ok
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["order", "slow"])
    parser.add_argument("--db", default=None, help="PostgreSQL URL (emptied!); default SQLite")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--jitter", type=float, default=0.02)
    parser.add_argument("--slow", type=int, default=30)
    args = parser.parse_args()
    if args.count is None:
        args.count = 1000 if args.scenario == "order" else 30
    logging.basicConfig(level=logging.ERROR)
    sys.exit(0 if asyncio.run(run(args)) else 1)


if __name__ == "__main__":
    main()
