"""Background delivery for a running bot: one call for every adapter to make.

``start_background(app)`` starts the outbox dispatcher with its APScheduler wake-ups and the
periodic jobs of the events feature (extending recurring events' reminders, and mirroring
events to a platform's scheduled events when a mirror is given).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.ports import EventMirror
from bot.services.dispatcher import Dispatcher, DispatchScheduler
from bot.services.events import mirror_events, refresh_series

if TYPE_CHECKING:
    from bot.app import BotApp


def start_background(app: BotApp, *, mirror: EventMirror | None = None) -> DispatchScheduler:
    """Start sending what the outbox holds; call ``.stop()`` on the result at shutdown."""

    async def extend_series(now: datetime) -> None:
        async with app.database.unit_of_work() as uow:
            await refresh_series(uow, now=now, wake=app.on_enqueue)

    async def mirror_all(now: datetime) -> None:
        if mirror is not None:
            await mirror_events(app, mirror, now=now)

    scheduler = DispatchScheduler(Dispatcher(app), sweeps=[extend_series, mirror_all])
    scheduler.start()
    return scheduler
