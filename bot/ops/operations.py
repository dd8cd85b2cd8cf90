"""One process's health, readiness and metrics, wired to the parts it watches.

The command line (or the adapters' runner) builds one :class:`Operations` per process, calls
:meth:`Operations.watch` with the process's dispatcher, hands each adapter its
:meth:`Operations.connection` reporter, and gives it to the bot's HTTP server
(:func:`bot.web.start_web_server`), which mounts :func:`bot.ops.http.add_ops_routes`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.delivery.dispatcher import Dispatcher, DispatchReport
from bot.features.hub.service import HubService
from bot.ops.logs import log_request
from bot.ops.metrics import Metrics
from bot.ops.readiness import Readiness

if TYPE_CHECKING:
    from bot.app import BotApp

log = logging.getLogger(__name__)

STUCK_SWEEPS = 10
"""The dispatcher is stuck when no pass finished for this many sweep periods..."""
STUCK_MINIMUM = 600.0
"""...and at least this many seconds (a fan-out of thousands is one long pass)."""
SCRAPE_TIMEOUT = 2.0


class Operations:
    """Metrics and readiness of one running process."""

    def __init__(self, app: BotApp, *, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics or Metrics()
        sweep = app.settings.reminders.sweep_seconds
        self.readiness = Readiness(
            app.database,
            stuck_after=max(STUCK_SWEEPS * sweep, STUCK_MINIMUM),
            health=app.health,
        )

    def watch(self, dispatcher: Dispatcher | None) -> None:
        """Start counting requests (and logging them) and the dispatcher's passes."""
        self.app.router.observers += [self.metrics.observe_request, log_request]
        if dispatcher is not None:
            dispatcher.observers.append(self._pass_finished)

    def connection(self, adapter: str) -> Callable[[bool], None]:
        """The callback an adapter calls with ``True`` when connected, ``False`` when not."""
        self.readiness.expect(adapter)
        self.metrics.set_connected(adapter, False)

        def report(connected: bool) -> None:
            self.readiness.report(adapter, connected)
            self.metrics.set_connected(adapter, connected)
            log.log(
                logging.INFO if connected else logging.WARNING,
                "%s %s",
                adapter,
                "connected" if connected else "disconnected",
            )

        return report

    def _pass_finished(self, report: DispatchReport) -> None:
        self.readiness.pass_finished()
        self.metrics.observe_dispatch(report, time.time())

    async def refresh(self) -> None:
        """Read what the gauges show from the database and the process (at scrape time)."""
        now = self.app.clock.now()
        async with self.app.database.unit_of_work() as uow:
            backlog = await uow.outbox.backlog(now)
        self.metrics.set_backlog(backlog, now)
        self.metrics.hub_index.set(self.app.services[HubService].indexed)
