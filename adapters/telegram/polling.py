"""Long polling that confirms an update to Telegram only once it has been handled.

Telegram forgets an update when ``getUpdates`` is next called with a higher ``offset``.
PTB's ``Updater`` raises the offset as soon as updates are queued, before they are handled, so
updates met by a database outage were confirmed and lost. Here the offset only ever passes an
update after :meth:`TelegramAdapter.handle_update` returned for it. While storage is
unavailable the update is tried again (:meth:`bot.health.Health.patiently`) and nothing after
it is confirmed: Telegram keeps them (for 24 hours), through a restart too. Meanwhile the
pending updates are read again without being confirmed, so that everyone who writes during
the outage is told once that their answer is coming.

Updates are handled one at a time, in order (PTB's default), so replies keep their order in
every chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut

from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from adapters.telegram.adapter import TelegramAdapter

log = logging.getLogger(__name__)


class Polling:
    """Fetch, handle in order, and confirm only what was handled."""

    def __init__(
        self,
        adapter: TelegramAdapter,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        backoff: float,
        max_backoff: float,
        peek_seconds: float,
    ) -> None:
        self.adapter = adapter
        self.bot = adapter.application.bot
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.peek_seconds = peek_seconds
        self.offset: int | None = None
        """The first update not handled yet (``None``: whatever Telegram holds)."""
        self._told: set[int] = set()
        """Updates whose sender was told, during the outage in progress, to wait."""

    async def run(self) -> None:
        """Poll until cancelled, or until the bot gives up on storage (the update held then
        stays with Telegram)."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        while True:
            for update in await self._fetch(self.timeout):
                try:
                    await self._handle(update)
                except StorageUnavailable:
                    log.warning("update %s left with Telegram for the next start", update.update_id)
                    return
                self.offset = update.update_id + 1

    async def confirm(self) -> None:
        """Tell Telegram what was handled (at a graceful stop); nothing after it."""
        if self.offset is None:
            return
        try:
            await self.bot.get_updates(
                offset=self.offset, timeout=0, allowed_updates=self.allowed_updates
            )
        except TelegramError as error:  # they come again at the next start: handled once
            log.info("handled updates not confirmed at stop: %s", error)

    async def _handle(self, update: Update) -> None:
        """Handle ``update``; through an outage, hold it and keep telling the newcomers."""
        telling: asyncio.Task[None] | None = None

        async def on_hold(_error: StorageUnavailable) -> None:
            nonlocal telling
            await self._tell(update)
            telling = asyncio.create_task(self._tell_the_waiting())

        try:
            await self.adapter.app.health.patiently(
                lambda: self.adapter.handle_update(update), on_hold=on_hold
            )
        finally:
            if telling is not None:
                telling.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await telling
        self._told.clear()

    async def _tell(self, update: Update) -> None:
        if update.update_id not in self._told:
            self._told.add(update.update_id)
            await self.adapter.tell_held(update)

    async def _tell_the_waiting(self) -> None:
        """While the first update is held, read the pending ones again (confirming nothing:
        the offset stays at the held update) and tell each newcomer once."""
        while True:
            await asyncio.sleep(self.peek_seconds)
            for pending in await self._fetch(0):
                await self._tell(pending)

    async def _fetch(self, wait: int) -> tuple[Update, ...]:
        """The updates from :attr:`offset` on (waiting up to ``wait`` seconds for one),
        retried through network trouble."""
        pause = self.backoff
        while True:
            try:
                return await self.bot.get_updates(
                    offset=self.offset, timeout=wait, allowed_updates=self.allowed_updates
                )
            except TimedOut:
                continue  # a long poll that outlived its read timeout: ask again
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
                continue
            except InvalidToken:
                raise
            except Conflict as error:  # another process polls with this token
                log.warning("polling conflict: %s; is the bot running twice?", error)
            except NetworkError as error:
                log.warning("getUpdates failed (%s); again in %.1f s", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.max_backoff)


def _seconds(value: object) -> float:
    """``RetryAfter.retry_after``: seconds, or a ``timedelta`` in later PTB versions."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
