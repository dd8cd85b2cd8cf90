"""Concurrent across chats and people, in order within each: one lane per key.

Every update (or Discord event) names its keys: ``chat:<id>`` and ``user:<id>`` (an inline
query, with no chat, only the user). It takes a :class:`Ticket` when it arrives, in arrival
order, and waits only for the tickets taken earlier on any of its keys; everything else runs at
once. So a member's ``/help`` never waits behind an admin's ``/stats`` in another chat, while
two messages of one chat, or of one person in two chats, are handled and answered in the order
they came.

A ticket is released when its work is done, failed or cancelled: a broken update never blocks
its lanes. Platform-free (asyncio only), shared by the Telegram and Discord adapters.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable


def keys_of(chat_id: object | None, user_id: object | None) -> tuple[str, ...]:
    """The lanes of an update: its chat and its sender (either may be missing)."""
    found: list[str] = []
    if chat_id is not None:
        found.append(f"chat:{chat_id}")
    if user_id is not None:
        found.append(f"user:{user_id}")
    return tuple(found)


class Ticket:
    """One piece of work's place in its lanes."""

    def __init__(
        self, lanes: Lanes, keys: tuple[str, ...], before: set[asyncio.Future[None]]
    ) -> None:
        self._lanes = lanes
        self.keys = keys
        self._before = before
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def wait(self) -> None:
        """Until every earlier ticket on one of these keys is released."""
        pending = {f for f in self._before if not f.done()}
        if pending:
            await asyncio.wait(pending)
        self._before = set()

    def release(self) -> None:
        """Let the next tickets of these lanes go (idempotent)."""
        if self.finished.done():
            return
        self.finished.set_result(None)
        self._lanes._released(self)


class Lanes:
    """Tickets by key; each key's last ticket is what the next one on that key waits for."""

    def __init__(self) -> None:
        self._last: dict[str, asyncio.Future[None]] = {}
        self._open: set[Ticket] = set()

    def ticket(self, keys: Iterable[str]) -> Ticket:
        """Take a place now (the order of the calls is the order kept)."""
        keys = tuple(dict.fromkeys(keys))
        before = {self._last[key] for key in keys if key in self._last}
        ticket = Ticket(self, keys, before)
        for key in keys:
            self._last[key] = ticket.finished
        self._open.add(ticket)
        return ticket

    @contextlib.asynccontextmanager
    async def turn(self, keys: Iterable[str]) -> AsyncIterator[Ticket]:
        """Take a ticket, wait for the earlier ones of its lanes, hold it until the block ends."""
        ticket = self.ticket(keys)
        try:
            await ticket.wait()
            yield ticket
        finally:
            ticket.release()

    @property
    def busy(self) -> int:
        """Tickets taken and not yet released (waiting or working)."""
        return len(self._open)

    async def drain(self, seconds: float) -> None:
        """Let the work in the lanes finish (up to ``seconds``): at a graceful stop."""
        open_ = {ticket.finished for ticket in self._open}
        if open_:
            await asyncio.wait(open_, timeout=seconds)

    def _released(self, ticket: Ticket) -> None:
        self._open.discard(ticket)
        for key in ticket.keys:
            if self._last.get(key) is ticket.finished:
                del self._last[key]
