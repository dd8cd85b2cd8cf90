"""Fan out 10,000 reminders through a platform that enforces a rate limit.

The platform is an in-process fake at the network edge: a token bucket (``--rate`` per second,
``--burst`` at once) that answers "429, retry after N s" (``RateLimitedError``) beyond it, with a
few milliseconds of latency per call. Everything else is the real thing: a SQLite file (or
``--db`` PostgreSQL URL), the outbox repository, the dispatcher and its pacing.

Prints the achieved rate against the allowed rate, the 429s met, duplicates, missing, and the
delay between each reminder's due time and its send (p50 / p99).

    python bench/reminders.py [--count 10000] [--rate 400] [--burst 20] [--latency 0.003]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import BotApp
from bot.config import RemindersConfig, Settings, StorageConfig
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import RateLimitedError
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher
from storage.models import OutboxMessage

PACE = 0.98
"""The dispatcher is configured just under the platform's limit (as a careful client is)."""


@dataclass
class RateLimitedPlatform:
    """A fake platform: accepts ``rate`` messages per second with bursts of ``burst``."""

    rate: float
    burst: float
    latency: float
    platform: Platform = Platform.TELEGRAM
    accepted: list[tuple[str, float]] = field(default_factory=list)
    rejected: int = 0

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._last = time.monotonic()

    def _take(self) -> float:
        """0 when a token was taken, else the seconds until one is available."""
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.rate

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        await asyncio.sleep(self.latency)  # the request travels
        wait = self._take()
        if wait:
            self.rejected += 1
            raise RateLimitedError("429 Too Many Requests", retry_after=wait)
        self.accepted.append((recipient.chat_id, time.time()))
        return SentMessage(self.platform, recipient.chat_id, str(len(self.accepted)))


async def run(
    count: int, rate: float, burst: float, latency: float, db: str | None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = db or f"sqlite+aiosqlite:///{folder}/bench.db"
        settings = Settings(
            storage=StorageConfig(url=url),
            reminders=RemindersConfig(send_rates={"telegram": rate * PACE}, concurrency=8),
        )
        app = await BotApp.start(settings)
        platform = RateLimitedPlatform(rate=rate, burst=burst, latency=latency)
        app.add_messenger(platform)
        due = datetime.now(UTC)
        rows = [
            outbox.message(
                f"bench:{n}",
                "reminder",
                Recipient(Platform.TELEGRAM, f"user{n}", private=True),
                Reply.text(f"Reminder: the webinar starts in 1 hour ({n})"),
                due,
            )
            for n in range(count)
        ]
        async with app.database.unit_of_work() as uow:
            await uow.outbox.enqueue_many(rows, now=due)
        # The rows were written ahead of time, as reminders are; they all fall due now.
        due = datetime.now(UTC)
        async with app.database.unit_of_work() as uow:
            await uow.session.execute(update(OutboxMessage).values(due_at=due))
        dispatcher = Dispatcher(app, batch_size=200)
        started = time.perf_counter()
        report = await dispatcher.run_due()
        elapsed = time.perf_counter() - started
        await app.close()

    chats = Counter(chat for chat, _ in platform.accepted)
    duplicates = sum(n - 1 for n in chats.values() if n > 1)
    missing = count - len(chats)
    times = sorted(at for _, at in platform.accepted)
    span = times[-1] - times[0] if len(times) > 1 else elapsed
    achieved = (len(times) - 1) / span if span else float("nan")
    delays = sorted(at - due.timestamp() for at in times)
    return {
        "count": count,
        "allowed_rate": rate,
        "achieved_rate": achieved,
        "ratio": achieved / rate,
        "rate_limited_429": platform.rejected,
        "duplicates": duplicates,
        "missing": missing,
        "p50_delay_s": statistics.median(delays),
        "p99_delay_s": delays[int(len(delays) * 0.99) - 1],
        "elapsed_s": elapsed,
        "sent_reported": report.sent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=400.0, help="allowed messages/second")
    parser.add_argument("--burst", type=float, default=20.0)
    parser.add_argument("--latency", type=float, default=0.003, help="seconds per API call")
    parser.add_argument("--db", default=None, help="database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    result = asyncio.run(run(args.count, args.rate, args.burst, args.latency, args.db))
    print(f"reminders        {result['count']:.0f} (sent {result['sent_reported']:.0f})")
    print(
        f"achieved rate    {result['achieved_rate']:.1f}/s of {result['allowed_rate']:.0f}/s "
        f"allowed = {result['ratio']:.1%}"
    )
    print(f"429s met         {result['rate_limited_429']:.0f}")
    print(f"duplicates       {result['duplicates']:.0f}")
    print(f"missing          {result['missing']:.0f}")
    print(
        f"delay due→send   p50 {result['p50_delay_s']:.2f} s, p99 {result['p99_delay_s']:.2f} s "
        f"(all {result['count']:.0f} due at the same instant; the floor is count/rate)"
    )
    print(f"elapsed          {result['elapsed_s']:.1f} s")
    ok = result["ratio"] >= 0.95 and result["duplicates"] == 0 and result["missing"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
