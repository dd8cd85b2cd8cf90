"""Readiness: may a load balancer or supervisor send this process work right now?

Three questions, each answered in a line of ``/readyz``:

- **storage**: the database answers one ``SELECT 1`` within a timeout, and the app's health
  (:mod:`bot.health`) has storage (a database recreated empty answers, but has no tables);
- **adapters**: every platform this process started is connected (each adapter reports its
  connection going up and down through :meth:`Readiness.reporter`);
- **dispatcher**: a dispatcher pass finished recently. The periodic sweep starts one every
  ``sweep_seconds``; a pass that hangs (a platform call that never returns, a lock never
  released) stops them all, and ``stuck_after`` later the process is reported not ready so
  the supervisor restarts it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Pingable(Protocol):
    async def ping(self, seconds: float = 2.0) -> None: ...


class StorageHealth(Protocol):
    """What :class:`bot.health.Health` says of storage."""

    @property
    def ready(self) -> bool: ...
    @property
    def reason(self) -> str | None: ...


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


class Readiness:
    """What the process reports about itself; :meth:`check` answers ``/readyz``."""

    def __init__(
        self,
        database: Pingable,
        *,
        stuck_after: float,
        database_timeout: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
        health: StorageHealth | None = None,
    ) -> None:
        self.database = database
        self.health = health
        self.stuck_after = stuck_after
        self.database_timeout = database_timeout
        self._monotonic = monotonic
        self._started = monotonic()
        self._last_pass: float | None = None
        self._adapters: dict[str, bool] = {}

    def expect(self, adapter: str) -> None:
        """``adapter`` was started: not ready until it reports its connection up."""
        self._adapters.setdefault(adapter, False)

    def report(self, adapter: str, connected: bool) -> None:
        self._adapters[adapter] = connected

    def pass_finished(self) -> None:
        """The dispatcher finished a pass (its observer hook calls this)."""
        self._last_pass = self._monotonic()

    async def check(self) -> list[Check]:
        return [await self._storage(), self._adapters_check(), self._dispatcher_check()]

    async def _storage(self) -> Check:
        try:
            await self.database.ping(self.database_timeout)
        except TimeoutError:
            return Check("storage", False, f"no answer within {self.database_timeout:g} s")
        except Exception as error:  # refused connection, the driver's own errors
            return Check("storage", False, f"unreachable: {type(error).__name__}")
        if self.health is not None and not self.health.ready:
            return Check("storage", False, self.health.reason or "not ready")
        return Check("storage", True, "answers")

    def _adapters_check(self) -> Check:
        down = sorted(name for name, up in self._adapters.items() if not up)
        if down:
            return Check("adapters", False, "not connected: " + ", ".join(down))
        up = ", ".join(sorted(self._adapters)) or "none"
        return Check("adapters", True, f"connected: {up}")

    def _dispatcher_check(self) -> Check:
        since = self._last_pass if self._last_pass is not None else self._started
        idle = self._monotonic() - since
        if idle > self.stuck_after:
            return Check("dispatcher", False, f"no pass finished for {idle:.0f} s")
        if self._last_pass is None:
            return Check("dispatcher", True, "starting")
        return Check("dispatcher", True, f"last pass {idle:.0f} s ago")
