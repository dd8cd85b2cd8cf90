"""kill -9 in the middle of a fan-out: a dispatcher process is killed and restarted, again and
again, while it sends reminders to a loopback Telegram or Discord; what arrived is counted at
the server. Used by ``tests/delivery/test_crash.py`` and ``bench/crash.py``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bot.app import BotApp
from bot.config import Settings, StorageConfig
from bot.core.messages import Platform
from storage.database import Database
from tests.delivery.helpers import chat_rows
from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrashReport:
    """What the platform received, and when."""

    count: int
    killed_at: list[int] = field(default_factory=list)
    """Messages the platform had received when each kill came."""
    received: Counter[str] = field(default_factory=Counter)
    """Messages per recipient."""
    restart_to_last: float = 0.0
    """Seconds from the last restart to the last message the platform received."""
    ready_to_last: float = 0.0
    """The same from the moment the restarted process said it was ready: the recovery itself
    (the lease running out, the rest sent), without the process's own start, which a loaded
    machine can stretch by many seconds."""
    elapsed: float = 0.0

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.received.values() if n > 1)

    @property
    def missing(self) -> int:
        return self.count - len(self.received)


class _Platform:
    """The loopback server and how to read what each recipient received."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.telegram = FakeTelegram() if name == "telegram" else None
        self.discord = FakeDiscord() if name == "discord" else None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[_Platform]:
        if self.telegram is not None:
            await self.telegram.start()
            try:
                yield self
            finally:
                await self.telegram.stop()
        else:
            assert self.discord is not None
            async with self.discord:
                yield self

    @property
    def api(self) -> str:
        if self.telegram is not None:
            return self.telegram.base_url
        assert self.discord is not None
        return self.discord.api_base_url

    def recipients(self, count: int) -> list[str]:
        if self.telegram is not None:
            return [str(10_000 + n) for n in range(count)]
        assert self.discord is not None
        return [self.discord.add_user(f"member{n}") for n in range(count)]

    def received(self) -> list[str]:
        """The recipient of every message received so far, in order."""
        if self.telegram is not None:
            return [str(sent.chat_id) for sent in self.telegram.sent]
        assert self.discord is not None
        return [f"1{sent.channel_id[1:]}" for sent in self.discord.sent]  # DM id → user id

    def violations(self) -> list[str]:
        fake = self.telegram or self.discord
        assert fake is not None
        return list(fake.violations)


async def _prepare(url: str, platform: Platform, recipients: list[str]) -> None:
    """The reminders, all due now, in a migrated database."""
    app = await BotApp.start(Settings(storage=StorageConfig(url=url)))
    now = datetime.now(UTC)
    rows = [
        replace(row, chat_id=recipients[int(row.chat_id[1:])], due_at=now)
        for row in chat_rows(len(recipients), 1, kind="reminder", platform=platform, private=True)
    ]
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(rows, now=now)
    await app.close()


async def _spawn(
    url: str, platform: _Platform, options: list[str], log: Path
) -> asyncio.subprocess.Process:
    command = [sys.executable, "-m", "tests.delivery.sender_process", "--db", url]
    command += ["--platform", platform.name, "--api", platform.api, *options]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as errors:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=errors
        )
    return process


async def _ready(process: asyncio.subprocess.Process, within: float = 60) -> None:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), within)
    if line.strip() != b"ready":
        raise RuntimeError(f"the dispatcher process did not start (exit {process.returncode})")


def _received_at_least(platform: Any, count: int) -> bool:
    return len(platform.received()) >= count


async def _wait(
    condition: Callable[[], bool], on_change: Callable[[], None], within: float
) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the fan-out did not finish in time")
        on_change()
        await asyncio.sleep(0.005)
    on_change()


async def _all_recorded(url: str, count: int, within: float) -> None:
    database = Database(url)
    deadline = time.monotonic() + within
    try:
        while True:
            async with database.unit_of_work() as uow:
                if await uow.outbox.counts() == {"sent": count}:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("rows still unsent")
            await asyncio.sleep(0.1)
    finally:
        await database.dispose()


async def fan_out_with_kills(
    platform_name: str,
    url: str,
    log: Path,
    *,
    count: int = 1000,
    kills: tuple[int, ...] = (250, 500, 750),
    lease: int = 15,
    rate: float = 200.0,
    concurrency: int = 4,
    within: float = 120.0,
) -> CrashReport:
    """Send ``count`` reminders from a process killed (SIGKILL) once the platform received
    each of ``kills`` messages, restarted at once each time."""
    platform = _Platform(platform_name)
    report = CrashReport(count)
    options = ["--lease", str(lease), "--rate", str(rate), "--concurrency", str(concurrency)]
    started = time.monotonic()
    async with platform.running():
        recipients = platform.recipients(count)
        await _prepare(url, Platform(platform_name), recipients)
        last_change = [time.monotonic(), 0]

        def note() -> None:
            seen = len(platform.received())
            if seen != last_change[1]:
                last_change[:] = [time.monotonic(), seen]

        process = await _spawn(url, platform, options, log)
        try:
            await _ready(process)
            for threshold in kills:
                await _wait(partial(_received_at_least, platform, threshold), note, within)
                process.kill()  # SIGKILL: no cleanup, no release, no goodbye
                await process.wait()
                report.killed_at.append(len(platform.received()))
                process = await _spawn(url, platform, options, log)
                restarted = time.monotonic()
                await _ready(process)
                ready = time.monotonic()
            await _wait(lambda: len(set(platform.received())) >= count, note, within)
            await _all_recorded(url, count, within)  # no row left to send (or to send again)
            note()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    report.received = Counter(platform.received())
    report.restart_to_last = last_change[0] - restarted
    report.ready_to_last = last_change[0] - ready
    report.elapsed = time.monotonic() - started
    assert not platform.violations(), platform.violations()
    return report
