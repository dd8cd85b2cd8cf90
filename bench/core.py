"""The request path, end to end and through the router, side by side in one run.

e2e: ``--updates`` ``/help`` updates from ``--members`` people, queued at once on the loopback
Bot API of ``tests/fakes``, answered (a) by a minimal python-telegram-bot bot (PTB's own
``Updater``, one ``CommandHandler`` that replies a line) and (b) by our Telegram adapter on a
real :class:`BotApp` (SQLite file, and PostgreSQL with ``--pg``). Prints updates per second and
the ratio. Our bot runs without its outgoing rate limiter (30 messages/s, Telegram's limit,
which would measure Telegram and not us) unless ``--platform-limit``. Then the same with a slow
admin command (``--slow`` seconds) sent first: how long the members' ``/help`` took behind it.

router: ``--members`` people each send ``--rounds`` ``/help`` straight to ``BotApp.handle``, on
SQLite and (``--pg``) PostgreSQL, two ways. *Back to back*: each person sends the next as soon as
the last is answered, all people at once (a closed loop with ``--members`` always in flight: a
measure of throughput, where by Little's law latency is about ``--members`` × the CPU of one
request). *Paced*: each person writes on their own schedule, on average every ``--pace``
seconds (exponential gaps, so people sometimes write at the same instant), which is how members
of a chat write at once; its p99 is the latency a member feels under that load. *In bursts*:
every member sends at the same instant, ``--rounds`` times with 0.2 s between (50 members
writing at once, literally: the last answered waits for the other 49). Each prints
p50/p99 latency, requests per second and CPU per request (``time.process_time``, which other
work on the machine disturbs far less than wall time).

    python bench/core.py [--updates 600] [--members 50] [--rounds 20] [--slow 3] [--in-flight 1 32]
                         [--pace 1.0] [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/test]

The end-to-end part prints CPU per update too: both bots and the loopback server share this
process, so under other load the CPU ratio is the steadier of the two figures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from adapters.telegram import TelegramAdapter, Tuning
from bot.app import BotApp
from bot.config import AdminsConfig, TelegramConfig
from bot.core.i18n import N_
from bot.core.messages import Actor, Place, Platform, Reply, Request, RequestKind
from bot.core.registry import Audience, CommandSpec
from tests.conftest import _pg_admin, make_settings
from tests.fakes.telegram_api import FakeTelegram, private_chat, user

ADMIN = user(9, "Admin")
UNLIMITED = Tuning(overall_per_second=100_000, group_per_minute=100_000)


def people(count: int) -> list[dict[str, Any]]:
    return [user(1000 + i, f"Member{i}") for i in range(count)]


async def push_helps(fake: FakeTelegram, members: list[dict[str, Any]], count: int) -> None:
    for index in range(count):
        person = members[index % len(members)]
        await fake.push(fake.message(private_chat(person), person, "/help"))


class Answers:
    """Counts the messages sent to ``members`` as they come: the fake checks the wait's
    condition after every call the bot makes, and counting the whole list each time made the
    bench quadratic (5 % of the CPU it billed to the bot at 3,000 updates)."""

    def __init__(self, fake: FakeTelegram, members: list[dict[str, Any]]) -> None:
        self._fake, self._ids = fake, {m["id"] for m in members}
        self._seen, self.count = 0, 0

    def __call__(self) -> int:
        sent = self._fake.sent
        self.count += sum(1 for s in sent[self._seen :] if s.chat_id in self._ids)
        self._seen = len(sent)
        return self.count


async def timed(fake: FakeTelegram, members: list[dict[str, Any]], count: int) -> float:
    """Queue ``count`` /help at once; seconds until all are answered."""
    seconds, _cpu = await timed_cpu(fake, members, count)
    return seconds


async def timed_cpu(
    fake: FakeTelegram, members: list[dict[str, Any]], count: int
) -> tuple[float, float]:
    """:func:`timed`, and the process's CPU seconds over the same span."""
    answered = Answers(fake, members)
    before = answered()
    started, cpu = time.perf_counter(), time.process_time()
    await push_helps(fake, members, count)
    await fake.wait_for(lambda: answered() >= before + count, 600)
    return time.perf_counter() - started, time.process_time() - cpu


# the minimal bot ----------------------------------------------------------------------------


async def minimal_bot(
    fake: FakeTelegram, members: list[dict[str, Any]], count: int, html: str
) -> tuple[float, float]:
    """Answers /help with ``html`` (our bot's own /help, so the server's work is the same)."""

    async def help_(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(html, parse_mode="HTML")

    application = Application.builder().token(fake.token).base_url(fake.base_url).build()
    application.add_handler(CommandHandler("help", help_))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1, drop_pending_updates=False)
        await timed(fake, members[:1], 1)  # warm
        measured = await timed_cpu(fake, members, count)
        await application.updater.stop()
        await application.stop()
    return measured


# our bot ---------------------------------------------------------------------------------


@asynccontextmanager
async def databases(pg: str | None) -> AsyncIterator[list[tuple[str, str]]]:
    """A SQLite file, and a throwaway PostgreSQL database when ``pg`` is given."""
    with tempfile.TemporaryDirectory() as folder:
        found = [("SQLite", f"sqlite+aiosqlite:///{folder}/bench.db")]
        name = f"bench_core_{uuid.uuid4().hex[:8]}"
        if pg:
            await _pg_admin(pg, f'CREATE DATABASE "{name}"')
            found.append(("PostgreSQL", make_url(pg).set(database=name).render_as_string(False)))
        try:
            yield found
        finally:
            if pg:
                await _pg_admin(pg, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def add_slow(app: BotApp, seconds: float) -> None:
    async def slowreport(ctx: Any, **_: Any) -> Reply:
        await asyncio.sleep(seconds)
        return ctx.reply("report ready")

    app.registry.add(
        CommandSpec(
            ("slowreport",), N_("List what I can do for you"), slowreport,
            audience=Audience.ADMIN,
        )
    )  # fmt: skip


async def our_bot(
    fake: FakeTelegram, url: str, members: list[dict[str, Any]], count: int, tuning: Tuning,
    slow: float, in_flight: int = 32,
) -> tuple[float, float, float]:  # fmt: skip
    """Seconds and CPU seconds for ``count`` /help; then seconds for the members' /help behind
    a slow report."""
    settings = make_settings(
        url,
        admins=AdminsConfig(telegram=(str(ADMIN["id"]),)),
        telegram=TelegramConfig(api_base_url=fake.base_url, updates_in_flight=in_flight),
    )
    app = await BotApp.start(settings)
    await app.settle_heap()  # the indexes' warm-up, then as production runs (bot/app.py)
    add_slow(app, slow)
    adapter = TelegramAdapter(app, settings, fake.token, tuning=tuning)
    await adapter.start()
    try:
        await timed(fake, members, len(members))  # warm: every member known once
        seconds, cpu = await timed_cpu(fake, members, count)
        await fake.push(fake.message(private_chat(ADMIN), ADMIN, "/slowreport"))
        behind = await timed(fake, members, len(members))
        await fake.wait_for(lambda: len(fake.sent_to(ADMIN["id"])) >= 1, 60)
    finally:
        await adapter.stop()
        await app.close()
    return seconds, cpu, behind


# the router ------------------------------------------------------------------------------


class Timings(NamedTuple):
    latencies: list[float]
    seconds: float
    cpu: float


async def router(
    url: str, members: int, rounds: int, pace: float
) -> tuple[Timings, Timings, Timings]:
    """Back to back, in bursts, then paced (module docstring), on one app after a warm
    round."""
    app = await BotApp.start(make_settings(url))
    await app.settle_heap()
    randomness = random.Random(17)

    async def ask(index: int, update_id: str, latencies: list[float]) -> None:
        """Member ``index`` sends /help; its latency is kept."""
        actor = Actor(Platform.TELEGRAM, str(5000 + index), f"Member{index}", "en")
        place = Place(Platform.TELEGRAM, str(5000 + index))
        request = Request(actor, place, RequestKind.COMMAND, command="help", update_id=update_id)
        started = time.perf_counter()
        await app.handle(request)
        latencies.append(time.perf_counter() - started)

    async def member(index: int, tag: str, latencies: list[float], paced: bool) -> None:
        for round_ in range(rounds):
            if paced:
                await asyncio.sleep(randomness.expovariate(1 / pace))
            await ask(index, f"{tag}{index}-{round_}", latencies)

    async def measure(tag: str, paced: bool) -> Timings:
        latencies: list[float] = []
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(member(i, tag, latencies, paced) for i in range(members)))
        return Timings(latencies, time.perf_counter() - started, time.process_time() - cpu)

    async def bursts(tag: str) -> Timings:
        """Every member at the same instant, ``rounds`` times, a quiet 0.2 s between."""
        latencies: list[float] = []
        seconds = cpu = 0.0
        for round_ in range(rounds):
            started, before = time.perf_counter(), time.process_time()
            await asyncio.gather(*(ask(i, f"{tag}{i}-{round_}", latencies) for i in range(members)))
            seconds += time.perf_counter() - started
            cpu += time.process_time() - before
            await asyncio.sleep(0.2)
        return Timings(latencies, seconds, cpu)

    try:
        await measure("warm", paced=False)  # first contacts, plans, the pool
        return (
            await measure("back", paced=False),
            await bursts("burst"),
            await measure("paced", paced=True),
        )
    finally:
        await app.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def e2e_round(
    args: argparse.Namespace, fake: FakeTelegram, found: list[tuple[str, str]],
    members: list[dict[str, Any]], tuning: Tuning,
) -> dict[tuple[str, int], tuple[float, float]]:  # fmt: skip
    """Our bot on each database and ``--in-flight``, then the minimal bot, one after the
    other; prints each and returns (updates/s ratio, CPU ratio) per (database, in flight)."""
    results = []
    for (label, url), in_flight in [(f, n) for f in found for n in args.in_flight]:
        results.append(
            (label, in_flight)
            + await our_bot(fake, url, members, args.updates, tuning, args.slow, in_flight)
        )
    html = next(s.html for s in fake.sent if s.html and "/help" in s.text)
    baseline, baseline_cpu = await minimal_bot(fake, members, args.updates, html)
    print(
        f"  minimal PTB bot      {args.updates / baseline:8.1f} updates/s (same reply),"
        f" {baseline_cpu / args.updates * 1000:.1f} ms CPU per update"
    )
    ratios = {}
    for label, in_flight, seconds, cpu, behind in results:
        ratios[(label, in_flight)] = (baseline / seconds, baseline_cpu / cpu)
        print(
            f"  ours on {label:<11} {in_flight:3d} in flight"
            f"  {args.updates / seconds:8.1f} updates/s"
            f"  = {baseline / seconds:.2f}x the minimal bot;"
            f" {cpu / args.updates * 1000:.1f} ms CPU per update"
            f" (= {baseline_cpu / cpu:.2f}x);"
            f" {args.members} /help behind a {args.slow:.0f} s admin report:"
            f" {behind:.2f} s"
        )
    return ratios


async def run(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    members = people(args.members)
    tuning = Tuning() if args.platform_limit else UNLIMITED
    tuning = replace(tuning, poll_timeout=1)
    print(f"end to end: {args.updates} /help from {args.members} members, loopback Bot API")
    fake = FakeTelegram()
    await fake.start()
    try:
        async with databases(args.pg) as found:
            ratios: dict[tuple[str, int], list[tuple[float, float]]] = {}
            for round_ in range(args.repeat):
                if args.repeat > 1:
                    print(f" round {round_ + 1} of {args.repeat}")
                for key, ratio in (await e2e_round(args, fake, found, members, tuning)).items():
                    ratios.setdefault(key, []).append(ratio)
            if args.repeat > 1:
                print(f" median of {args.repeat} rounds (each against its own minimal bot)")
                for (label, in_flight), pairs in ratios.items():
                    rate = statistics.median(r for r, _ in pairs)
                    cpu = statistics.median(c for _, c in pairs)
                    print(
                        f"  ours on {label:<11} {in_flight:3d} in flight  {rate:.2f}x the minimal"
                        f" bot's updates/s, {cpu:.2f}x its CPU per update"
                        f" (rounds: {', '.join(f'{r:.2f}' for r, _ in pairs)})"
                    )
            print(
                f"router: {args.members} members, {args.rounds} /help each; back to back, in"
                f" bursts, then paced (each member every {args.pace:g} s on average)"
            )
            for label, url in found:
                for how, timings in zip(
                    ("back to back", "in bursts", "paced"),
                    await router(url, args.members, args.rounds, args.pace),
                    strict=True,
                ):
                    count = len(timings.latencies)
                    print(
                        f"  {label:<11} {how:<12}"
                        f" p50 {pct(timings.latencies, 0.5) * 1000:7.1f} ms"
                        f"  p99 {pct(timings.latencies, 0.99) * 1000:7.1f} ms"
                        f"  {count / timings.seconds:7.1f} requests/s"
                        f"  {timings.cpu / count * 1000:5.2f} ms CPU per request"
                    )
    finally:
        await fake.stop()


def main(
    argv: list[str] | None = None, runner: Callable[..., Coroutine[Any, Any, None]] = run
) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--slow", type=float, default=3.0)
    parser.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="paced router: seconds between one member's requests",
    )
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL (a database is made)")
    parser.add_argument("--platform-limit", action="store_true")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="end-to-end rounds, each against its own minimal bot; prints the median ratio",
    )
    parser.add_argument(
        "--in-flight", type=int, nargs="+", default=[1, 32], help="updates_in_flight to compare"
    )
    asyncio.run(runner(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
