"""Background work of a running bot: the outbox dispatcher and the periodic jobs.

Every adapter process runs one; several processes may share a database (the outbox claims keep
each message to one sender).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.app import BotApp
from bot.services.dispatcher import Dispatcher, DispatchReport, DispatchScheduler

log = logging.getLogger(__name__)


class BackgroundWork:
    """Starts the dispatcher's scheduler with every periodic job the features registered."""

    def __init__(self, app: BotApp) -> None:
        self.app = app
        self.dispatcher = Dispatcher(app)
        sweeps: list[Callable[[datetime], Awaitable[Any]]] = [
            functools.partial(job, app) for job in app.registry.periodic_jobs
        ]
        self.scheduler = DispatchScheduler(self.dispatcher, sweeps=sweeps)

    async def start(self) -> None:
        self.scheduler.start()
        await self.scheduler.arm()

    async def flush(self) -> DispatchReport:
        """Send what is due now (the console does this before it exits)."""
        return await self.dispatcher.run_due()

    async def stop(self) -> None:
        self.scheduler.stop()
