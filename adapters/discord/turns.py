"""One request at a time per person, and knowing what is in flight at shutdown.

discord.py runs every event and interaction in its own task, so two quick answers of one member
(or a double-clicked button) would otherwise be handled at once; Telegram's updates arrive one
after the other. Shutdown waits for what is being handled, since Discord will not send it again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

T = TypeVar("T")


class Turns:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._busy: set[asyncio.Task[object]] = set()

    @contextlib.asynccontextmanager
    async def of(self, user_id: str) -> AsyncIterator[None]:
        """Wait for this person's earlier request, then hold the turn."""
        task = asyncio.current_task()
        if task is not None:
            self._busy.add(task)
        try:
            async with self._locks.setdefault(user_id, asyncio.Lock()):
                yield
        finally:
            if task is not None:
                self._busy.discard(task)

    async def run(self, user_id: str, work: Awaitable[T]) -> T:
        async with self.of(user_id):
            return await work

    async def drain(self, seconds: float) -> None:
        """Let the requests being handled finish (up to ``seconds``)."""
        busy = {task for task in self._busy if task is not asyncio.current_task()}
        if busy:
            await asyncio.wait(busy, timeout=seconds)
