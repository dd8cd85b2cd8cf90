"""The dispatcher's lease: its claims on outbox rows live while its heartbeat does.

A pass starts the lease (a heartbeat row, see :mod:`storage.repositories.leases`) and renews it
every third of ``[reminders] lease_seconds`` while it runs. Another process takes the claims
over once the heartbeat is older than the lease, so a crashed process's rows leave within
seconds instead of minutes.

The lease also fences this process: it sends a row only while its last renewal is recent
enough (two thirds of the lease, leaving a third for clock skew and the send itself), and stops
at once if a renewal finds that its lease was taken over (a long stall, storage unreachable).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from bot.delivery.ports import DeliveryPorts

log = logging.getLogger(__name__)

SAFE_FRACTION = 2 / 3
"""A lease is used for sending until this fraction of it has passed since its last renewal."""


class LeaseLostError(Exception):
    """This dispatcher's claims may belong to another one now: it must stop sending them."""


class Lease:
    """One dispatcher's lease; :meth:`start` at the beginning of a pass, :meth:`stop` at its end."""

    def __init__(
        self,
        app: DeliveryPorts,
        worker_id: str,
        seconds: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.worker_id = worker_id
        self.seconds = seconds
        self._monotonic = monotonic
        self._valid_until = 0.0
        self._lost = False
        self._renewing: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Write the heartbeat and keep renewing it; returns the leftover claims given back."""
        began = self._monotonic()
        async with self.app.database.unit_of_work() as uow:
            leftovers = await uow.leases.register(self.worker_id, now=self.app.clock.now())
        self._lost = False
        self._valid_until = began + self.seconds * SAFE_FRACTION
        self._renewing = asyncio.ensure_future(self._renew_forever())
        return leftovers

    async def stop(self) -> None:
        """Stop renewing (the heartbeat row stays; this process holds no claim between passes)."""
        if self._renewing is not None:
            self._renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewing
            self._renewing = None

    def check(self) -> None:
        """Raise :class:`LeaseLostError` unless sending under this lease is still safe."""
        if self._lost:
            raise LeaseLostError(f"dispatcher {self.worker_id}: lease taken over")
        if self._monotonic() >= self._valid_until:
            raise LeaseLostError(f"dispatcher {self.worker_id}: lease not renewed in time")

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.seconds / 3)
            began = self._monotonic()
            try:
                async with self.app.database.unit_of_work() as uow:
                    kept = await uow.leases.renew(self.worker_id, now=self.app.clock.now())
            except StorageUnavailable:  # the app's health logs the outage once
                continue  # the lease runs out by itself, and check() stops the sends
            except Exception as error:
                log.warning("dispatcher %s: lease not renewed (%s)", self.worker_id, error)
                continue
            if not kept:
                self._lost = True
                log.error("dispatcher %s: lease taken over; stopping its sends", self.worker_id)
                return
            self._valid_until = began + self.seconds * SAFE_FRACTION
