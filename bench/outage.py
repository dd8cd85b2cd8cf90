"""A database outage in the middle of a stream of Telegram updates, through the real PTB.

The loopback Bot API (``tests/fakes``) feeds ``/echo nN`` from four people, one every
``--every`` seconds; after ``--before`` seconds storage becomes unreachable for ``--seconds``
(SQLite: its folder moved away; PostgreSQL with ``--db``: every connection cut by a TCP
forwarder), then the stream goes on for ``--after`` seconds. Everything else is the real bot:
``BotApp``, the background work, the Telegram adapter.

Prints how many updates were answered once, twice or never, how many "the answer is coming"
notices went out, the warnings and tracebacks logged (per second of outage), and how long after
storage came back the last held update was answered.

    python bench/outage.py [--seconds 25] [--db postgresql+asyncpg://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import Settings, StorageConfig, TelegramConfig
from bot.runtime import BackgroundWork
from tests.adapters.telegram.conftest import FAST
from tests.conftest import reset_postgres
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.outage import SqliteCut, TcpCut, add_echo

ECHO = re.compile(r"^echo n(\d+)$")


class Counted(logging.Handler):
    """Warnings and worse, and how many carried a traceback, with when they were logged."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[float, bool, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((time.monotonic(), record.exc_info is not None, record.getMessage()))


async def run(args: argparse.Namespace) -> None:
    fake = FakeTelegram()
    await fake.start()
    folder = Path(tempfile.mkdtemp()) / "data"
    if args.db:
        from sqlalchemy.engine import make_url

        await reset_postgres(args.db)
        parsed = make_url(args.db)
        tcp = TcpCut(parsed.host or "127.0.0.1", parsed.port or 5432)
        await tcp.listen()
        url = parsed.set(host="127.0.0.1", port=tcp.local_port)
        tcp.url = url.render_as_string(hide_password=False)
        switch: TcpCut | SqliteCut = tcp
    else:
        folder.mkdir()
        switch = SqliteCut(folder)
    settings = Settings(
        storage=StorageConfig(url=switch.url),
        telegram=TelegramConfig(api_base_url=fake.base_url),
    )
    app = await BotApp.start(settings)
    add_echo(app)
    switch.attach(app)
    background = BackgroundWork(app)
    await background.start()
    adapter = TelegramAdapter(app, settings, fake.token, tuning=FAST)
    await adapter.start()
    counted = Counted()
    logging.getLogger().addHandler(counted)
    seen: dict[int, float] = {}

    async def watch_answers() -> None:
        while True:
            for sent in fake.sent:
                if (match := ECHO.match(sent.text)) and int(match.group(1)) not in seen:
                    seen[int(match.group(1))] = time.monotonic()
            await asyncio.sleep(0.05)

    watcher = asyncio.create_task(watch_answers())

    people = [user(301 + i, f"Person{i}") for i in range(4)]
    pushed: list[tuple[int, float]] = []
    started = time.monotonic()
    cut_at = started + args.before
    back_at = cut_at + args.seconds
    end_at = back_at + args.after
    cut = restored = False
    index = 0
    while (now := time.monotonic()) < end_at:
        if not cut and now >= cut_at:
            await switch.cut()
            cut = True
        if not restored and now >= back_at:
            await switch.restore()
            restored = True
        person = people[index % 4]
        await fake.push(fake.message(private_chat(person), person, f"/echo n{index}"))
        pushed.append((index, now))
        index += 1
        await asyncio.sleep(args.every)

    def answered() -> Counter[int]:
        return Counter(int(m.group(1)) for s in fake.sent if (m := ECHO.match(s.text)))

    for _ in range(int(args.wait / 0.2)):  # the last answers
        if len(answered()) == len(pushed):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # duplicates, if any, would arrive now
    watcher.cancel()
    counts = answered()
    logging.getLogger().removeHandler(counted)
    notices = sum("trouble reaching my records" in s.text for s in fake.sent)

    during = [i for i, at in pushed if cut_at <= at < back_at]
    in_outage = [r for r in counted.records if cut_at <= r[0] < back_at]
    print(f"database: {'PostgreSQL' if args.db else 'SQLite'}; outage {args.seconds:.0f} s")
    print(f"updates pushed: {len(pushed)} ({len(during)} during the outage)")
    print(f"answered once: {sum(1 for i, _ in pushed if counts[i] == 1)}")
    print(f"answered twice or more: {sum(1 for i, _ in pushed if counts[i] > 1)}")
    print(f"never answered: {sum(1 for i, _ in pushed if counts[i] == 0)}")
    print(f"'answer is coming' notices: {notices} (4 people)")
    tracebacks = sum(1 for r in counted.records if r[1])
    print(f"warnings or worse logged: {len(counted.records)}, with a traceback: {tracebacks}")
    print(
        f"during the outage: {len(in_outage) / args.seconds:.2f} lines/s, "
        f"{sum(1 for r in in_outage if r[1]) / args.seconds:.2f} tracebacks/s"
    )
    held = [seen[i] for i in during if i in seen]
    if held and len(held) == len(during):
        print(
            f"updates of the outage answered {min(held) - back_at:.1f} to "
            f"{max(held) - back_at:.1f} s after storage came back"
        )
    for _at, _tb, message in counted.records[: args.show]:
        print("  log:", message[:150])

    await adapter.stop()
    await background.stop()
    await app.close()
    await switch.close()
    await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=25.0, help="length of the outage")
    parser.add_argument("--before", type=float, default=3.0)
    parser.add_argument("--after", type=float, default=5.0)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between updates")
    parser.add_argument("--wait", type=float, default=60.0, help="for the last answers")
    parser.add_argument("--db", help="a PostgreSQL URL (its database is emptied)")
    parser.add_argument("--show", type=int, default=0, help="print the first N log lines")
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)  # counted (below), not printed
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
