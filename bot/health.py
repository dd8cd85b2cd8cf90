"""Is the bot fit to serve: storage lost and back (one log line each), waiting, giving up.

The database's :class:`~storage.availability.Availability` says what the engine saw; this adds
the policy:

- one line in the log per change ("storage lost: …", "storage back after 25 s"), never a
  traceback per attempt;
- ``ready``, ``reason`` and ``last_storage_ok`` for the readiness endpoint;
- a probe (:meth:`Health.watch`): quick while storage is lost, so that its return is noticed
  without traffic and everything held is retried at once, and every ``probe_seconds`` while
  it is there, so that a database dropped under a quiet bot is noticed too;
- a bound: after ``give_up_after`` seconds without storage, :attr:`Health.gave_up` is set; the
  runner then exits with status 1 so that a supervisor restarts the bot (whose start-up
  migrates a database recreated empty).

Adapters hold what they could not handle with :meth:`Health.patiently` and tell each person
once per outage (:class:`OutageNotices`) that the answer will come.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from bot.core.i18n import N_
from storage.availability import Availability
from storage.errors import StorageUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

HELD_NOTICE = N_(
    "Sorry, I'm having trouble reaching my records right now. I'll answer you shortly."
)
"""Said once per outage to each person whose request is held."""

FIRST_RETRY = 0.1
"""Seconds before a held request is tried again; doubled up to ``probe_seconds``."""
LOST_PROBE_MAX = 1.0
"""While storage is lost it is probed at least this often, so its return is seen at once."""


class Health:
    """Storage health for the readiness endpoint, the log, held requests and giving up."""

    def __init__(
        self, availability: Availability, *, give_up_after: float, probe_seconds: float
    ) -> None:
        self.availability = availability
        self.give_up_after = give_up_after
        self.probe_seconds = probe_seconds
        self.outages = 0
        """How many times storage was lost since start (a new outage, new notices)."""
        self.gave_up = asyncio.Event()
        """Set once storage has been gone for ``give_up_after`` seconds."""
        self._back = asyncio.Event()
        self._back.set()
        self._changed = asyncio.Event()
        self._lost_at: float | None = None
        availability.listeners.append(self._on_change)

    # what the readiness endpoint reads ---------------------------------------------------

    @property
    def ready(self) -> bool:
        """Whether the bot can serve: storage answers and the bot has not given up."""
        return self.availability.available and not self.gave_up.is_set()

    @property
    def reason(self) -> str | None:
        """Why the bot is not ready, in one line (``None`` when it is)."""
        error = self.availability.error
        if self.gave_up.is_set():
            return f"storage unavailable for over {self.give_up_after:.0f} s; exiting"
        if error is not None:
            return f"storage unavailable: {error.reason}"
        return None

    @property
    def last_storage_ok(self) -> datetime | None:
        """When a transaction last committed or a probe last found the schema (UTC)."""
        return self.availability.last_ok

    # changes -------------------------------------------------------------------------------

    def _on_change(self, availability: Availability) -> None:
        loop = asyncio.get_running_loop()
        self._changed.set()
        if availability.error is not None:
            self.outages += 1
            self._lost_at = loop.time()
            self._back.clear()
            log.error(
                "storage lost: %s; holding updates, giving up after %.0f s",
                availability.error.reason,
                self.give_up_after,
            )
            return
        lasted = loop.time() - self._lost_at if self._lost_at is not None else 0.0
        self._lost_at = None
        self._back.set()
        log.warning("storage back after %.1f s; handling what was held", lasted)

    async def watch(self, check: Callable[[], Awaitable[None]]) -> None:
        """Probe storage with ``check`` until cancelled; set :attr:`gave_up` when it has been
        gone too long. ``check`` raises :class:`StorageUnavailable` (and marks it lost)."""
        pause = FIRST_RETRY
        while not self.gave_up.is_set():
            self._changed.clear()
            if self.availability.available:
                pause = FIRST_RETRY
                wait = self.probe_seconds
            else:
                wait = pause
                pause = min(pause * 2, self.probe_seconds, LOST_PROBE_MAX)
            with contextlib.suppress(TimeoutError):  # a change (storage lost) cuts it short
                await asyncio.wait_for(self._changed.wait(), wait)
            with contextlib.suppress(StorageUnavailable):  # logged once, by _on_change
                await check()
            if self._lost_at is not None:
                gone = asyncio.get_running_loop().time() - self._lost_at
                if gone >= self.give_up_after:
                    log.error(
                        "storage unavailable for %.0f s (%s): giving up so that the bot is "
                        "restarted",
                        gone,
                        self.availability.error.reason if self.availability.error else "?",
                    )
                    self.gave_up.set()
                    self._back.set()  # wake whoever waits: they give up too

    # holding requests ------------------------------------------------------------------------

    async def patiently(
        self,
        work: Callable[[], Awaitable[T]],
        *,
        on_hold: Callable[[StorageUnavailable], Awaitable[None]] | None = None,
        deadline: float | None = None,
    ) -> T:
        """``work()``, tried again while storage is unavailable, once it is back.

        ``on_hold`` runs once, at the first failure (tell the person the answer will come).
        Raises :class:`StorageUnavailable` when the bot gives up or the loop's clock passes
        ``deadline`` (e.g. a Discord interaction about to expire).
        """
        pause = FIRST_RETRY
        held = False
        while True:
            try:
                return await work()
            except StorageUnavailable as error:
                if self.gave_up.is_set():
                    raise
                if not held and on_hold is not None:
                    held = True
                    await on_hold(error)
                await self._wait_for_storage(pause, deadline, error)
                pause = min(pause * 2, self.probe_seconds)

    async def _wait_for_storage(
        self, pause: float, deadline: float | None, error: StorageUnavailable
    ) -> None:
        """Wait a little, then until storage is back but at most ``pause`` (the probe may not
        run, e.g. in a test); raise when the bot gave up or the loop passes ``deadline``.

        The first short sleep keeps a request that fails while the rest works (a missing
        table) from being retried in a tight loop.
        """
        loop = asyncio.get_running_loop()
        await asyncio.sleep(FIRST_RETRY)
        remaining = pause if deadline is None else min(pause, deadline - loop.time())
        if remaining > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._back.wait(), remaining)
        if self.gave_up.is_set() or (deadline is not None and loop.time() >= deadline):
            raise error


class OutageNotices:
    """Who was told, in the current outage, that their answer is coming: each person once."""

    def __init__(self, health: Health) -> None:
        self.health = health
        self._outage = -1
        self._told: set[str] = set()

    def first(self, person: str) -> bool:
        """True the first time ``person`` is seen in this outage."""
        if self._outage != self.health.outages:
            self._outage = self.health.outages
            self._told.clear()
        if person in self._told:
            return False
        self._told.add(person)
        return True
