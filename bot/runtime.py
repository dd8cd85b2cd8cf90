"""Background work of a running bot: the outbox dispatcher and the periodic jobs.

Every adapter process runs one; several processes may share a database (the outbox claims keep
each message to one sender). Periodic jobs are what the features registered with
``registry.periodic`` (digest, nudges, announcement reports) plus the events feature's series
extension and, when a platform offers one, the scheduled-event mirror.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.app import BotApp
from bot.core.ports import EventMirror
from bot.delivery.dispatcher import Dispatcher, DispatchReport, DispatchScheduler
from bot.features.events.mirror import mirror_events
from bot.features.events.reminders import refresh_series

log = logging.getLogger(__name__)


class BackgroundWork:
    """Starts the dispatcher's scheduler with every periodic job, and the storage probe of the
    app's health (:meth:`bot.health.Health.watch`)."""

    def __init__(self, app: BotApp, *, mirror: EventMirror | None = None) -> None:
        self.app = app
        self.mirror = mirror
        self.dispatcher = Dispatcher(app)
        sweeps: list[Callable[[datetime], Awaitable[Any]]] = [
            functools.partial(job, app) for job in app.registry.periodic_jobs
        ]
        sweeps += [self._extend_series, self._mirror_events]
        self.scheduler = DispatchScheduler(self.dispatcher, sweeps=sweeps)
        self._probe: asyncio.Task[None] | None = None

    def set_mirror(self, mirror: EventMirror | None) -> None:
        """Use ``mirror`` from the next sweep on.

        The Discord client hands its mirror over only once it is connected, after this object
        was built and started (see ``adapters.runner``); until then the sweep mirrors nothing.
        """
        self.mirror = mirror

    async def _extend_series(self, now: datetime) -> None:
        async with self.app.database.unit_of_work() as uow:
            await refresh_series(uow, now=now)

    async def _mirror_events(self, now: datetime) -> None:
        if self.mirror is not None:
            await mirror_events(
                self.app, self.mirror, now=now, default_community=self.app.default_community
            )

    async def start(self) -> None:
        self._probe = asyncio.create_task(self.app.health.watch(self.app.database.check))
        self.scheduler.start()
        await self.scheduler.arm()

    async def flush(self) -> DispatchReport:
        """Send what is due now (the console does this after each line)."""
        return await self.dispatcher.run_due()

    async def stop(self) -> None:
        """Graceful: sends in flight finish and are recorded, unstarted rows go back."""
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
        await self.scheduler.aclose()
