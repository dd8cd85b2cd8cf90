"""How tests wait for the bot, which runs in the test's own event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.fakes.discord.base import FakeDiscordBase

HANDLER_TASKS = (
    "discord.py: on_",  # an event listener (client._schedule_event)
    "CommandTree-invoker",  # a slash command (app_commands.CommandTree._from_interaction)
    "discord-ui-view-dispatch-",  # a button or menu of a view
    "discord-ui-modal-dispatch-",  # a modal submitted
    "discord-ui-dynamic-item-",
)
"""The names discord.py gives the tasks that run the bot's handlers."""


def _handling_events() -> bool:
    """Whether a handler of the bot under test (an event, a slash command, a component, a
    modal) is still running."""
    return any(
        not task.done() and task.get_name().startswith(HANDLER_TASKS)
        for task in asyncio.all_tasks()
    )


class Waits(FakeDiscordBase):
    """Waiting until the bot is quiet, connected, or has done what a test expects."""

    async def settle(self, quiet: float = 0.15, within: float = 10) -> None:
        """Wait until the bot handles no gateway event and has made no request for ``quiet``
        seconds. The bot runs in this event loop: discord.py runs each event handler as a
        task named ``discord.py: on_<event>``, so "still handling" is seen, not guessed (a
        quiet period alone ended too early on a loaded machine)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            seen = len(self.requests)
            await asyncio.sleep(quiet)
            if seen == len(self.requests) and not _handling_events():
                return

    async def wait_for(self, predicate: Callable[[], object], within: float = 10) -> None:
        """Wait until ``predicate()`` holds: a send that goes through the outbox comes after
        database work, so no fixed quiet period is long enough on a loaded machine."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            if loop.time() > deadline:
                raise TimeoutError(f"still not true after {within} s: {predicate}")
            await asyncio.sleep(0.02)

    async def wait_connected(self, within: float = 10, *, shards: int = 1) -> None:
        """Wait until ``shards`` sessions are connected (every shard of a sharded bot)."""
        await self.wait_for(
            lambda: sum(1 for s in self.sessions.values() if s.live is not None) >= shards,
            within,
        )
