"""Wake-ups that reach every process: PostgreSQL LISTEN/NOTIFY.

Enqueueing rows on PostgreSQL notifies ``storage.repositories.outbox.NOTIFY_CHANNEL`` in the
same transaction, so the notification goes out when the rows are committed (and not at all if
the transaction rolls back). Each process's :class:`OutboxListener` keeps one connection of its
own listening on that channel and wakes its dispatcher at once: a row queued by one process is
sent by whichever is free, without waiting for a sweep.

LISTEN needs a session of its own (not a pooler in transaction mode). If the connection is
lost, the listener reconnects with backoff; meanwhile the periodic sweep still finds the rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import make_url

from storage.repositories.outbox import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


def asyncpg_dsn(url: str) -> str:
    """The SQLAlchemy URL of a PostgreSQL database as a plain DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxListener:
    """Calls ``on_notify`` whenever another transaction (in any process) queued rows."""

    def __init__(
        self,
        dsn: str,
        on_notify: Callable[[], None],
        *,
        channel: str = NOTIFY_CHANNEL,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
    ) -> None:
        self.dsn = dsn
        self.on_notify = on_notify
        self.channel = channel
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.listening = asyncio.Event()
        """Set while the connection listens (tests wait for it)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def cancel(self) -> None:
        """Stop listening (:meth:`stop` also waits until the connection is closed)."""
        if self._task is not None:
            self._task.cancel()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _notified(self, *_args: Any) -> None:
        try:
            self.on_notify()
        except Exception:  # a wake-up must never kill the listener
            log.exception("outbox wake-up failed")

    async def _run(self) -> None:
        import asyncpg

        delay = self.backoff
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(self.dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(self.channel, self._notified)
                self.listening.set()
                delay = self.backoff
                self._notified()  # rows queued while not listening are found now
                await lost.wait()
                # info: the app's health already reports a storage outage, once
                log.info("outbox listener: connection lost; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.info("outbox listener unavailable (%s); retrying in %.0f s", error, delay)
            finally:
                self.listening.clear()
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(connection.close(timeout=2))
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)
