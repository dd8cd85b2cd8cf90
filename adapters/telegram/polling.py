"""Long polling that confirms an update to Telegram only once it has been handled.

Telegram forgets an update when ``getUpdates`` is next called with a higher ``offset``.
PTB's ``Updater`` raises the offset as soon as updates are queued, before they are handled, so
updates met by a database outage were confirmed and lost. Here the offset only ever passes the
contiguous prefix of handled updates: an update still being handled, or held, and everything
after it stay with Telegram (for 24 hours), through a restart too.

Handling is a pipeline. Updates are fetched while earlier ones are still being handled, at most
``in_flight`` at once; each waits only for the earlier updates of its chat and of its sender
(:mod:`adapters.lanes`), so a member's ``/help`` is answered while an admin's ``/stats`` runs in
another chat, and every chat's and every person's replies keep their order. Since a fetch with
``offset`` confirms what is below it, every fetch asks from the first unhandled update on and
skips what it already has; while something is outstanding it looks again when an update
finishes, or after ``peek`` seconds (growing to ``max_peek`` while nothing new comes).

While storage is unavailable each update is tried again (:meth:`bot.health.Health.patiently`),
the pending ones are read again (every ``peek_seconds``) so that everyone who writes during the
outage is told once that their answer is coming. When the bot gives up, nothing more is started
and the held update and everything after it stay with Telegram; the next start handles them,
each once (the processed-updates record makes a redelivered update a no-op).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut

from adapters.lanes import Lanes, Ticket, keys_of
from adapters.telegram.request import UpdatesRequest
from storage.errors import StorageUnavailable

if TYPE_CHECKING:
    from adapters.telegram.adapter import TelegramAdapter

log = logging.getLogger(__name__)

BATCH = 100
"""Telegram's largest ``limit`` for getUpdates: the span from the first unhandled update on."""


class Polling:
    """Fetch, handle concurrently in per-chat and per-person order, confirm the handled prefix."""

    def __init__(
        self,
        adapter: TelegramAdapter,
        *,
        timeout: int,
        allowed_updates: Sequence[str],
        backoff: float,
        max_backoff: float,
        peek_seconds: float,
        in_flight: int = 32,
        peek: float = 0.02,
        max_peek: float = 0.5,
        request: UpdatesRequest | None = None,
    ) -> None:
        self.adapter = adapter
        self.bot = adapter.application.bot
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.peek_seconds = peek_seconds
        self.in_flight = max(1, min(in_flight, BATCH))
        self.peek = peek
        self.max_peek = max(peek, max_peek)
        self.offset: int | None = None
        """The first update not handled yet (``None``: whatever Telegram holds)."""
        self.lanes = Lanes()
        self._order: deque[int] = deque()
        """Updates taken, not yet confirmable, in Telegram's order."""
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._done: set[int] = set()
        """Handled updates still behind an unhandled one."""
        self._working: set[int] = set()
        """Updates being handled and not held (their senders need no notice)."""
        self._held: set[int] = set()
        self._told: set[int] = set()
        """Updates whose sender was told, during the outage in progress, to wait."""
        self._progress = asyncio.Event()
        self._gave_up: StorageUnavailable | None = None
        if request is not None:
            request.known = self._known

    @property
    def outstanding(self) -> int:
        """Updates taken and not confirmable yet (being handled, waiting, or done after one)."""
        return len(self._order)

    async def run(self) -> None:
        """Poll until cancelled, or until the bot gives up on storage (the update held then,
        and everything after it, stay with Telegram)."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        pause = self.peek
        loop = asyncio.get_running_loop()
        while self._gave_up is None:
            self._progress.clear()
            room = self.in_flight - len(self._tasks)
            if room <= 0 and not self._held:
                await self._progress.wait()  # full: nothing could be taken, so fetch nothing
                continue
            # what it has again (each fetch starts at the first unhandled one), then the room;
            # through an outage everything pending, to tell each newcomer
            limit = BATCH if self._held else min(BATCH, len(self._order) + max(room, 1))
            batch = await self._fetch(0 if self._order else self.timeout, limit)
            _stop_if_cancelled(None)
            if self._gave_up is not None:
                break
            fresh = self._take(batch)
            if self._held:
                await self._tell_all(batch)
            if not self._order:
                pause = self.peek
                continue  # all handled: the next fetch is a long poll
            pause = self.peek if fresh else min(pause * 2, self.max_peek)
            wait = max(pause, self.peek_seconds) if self._held else pause
            fetched = loop.time()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), wait)
            # every fetch reads the outstanding updates again: not more often than ``peek``
            await asyncio.sleep(max(0.0, fetched + self.peek - loop.time()))
        log.warning("update %s left with Telegram for the next start", self.offset)
        await self._settle(None)

    async def finish(self, seconds: float) -> None:
        """At a graceful stop (after :meth:`run` was cancelled): let the updates in flight
        finish for up to ``seconds``, stop the rest (they come again), confirm the prefix."""
        await self._settle(seconds)
        await self.confirm()

    async def confirm(self) -> None:
        """Tell Telegram what was handled; nothing after the first unhandled update."""
        if self.offset is None:
            return
        try:
            await self.bot.get_updates(
                offset=self.offset, timeout=0, limit=1, allowed_updates=self.allowed_updates
            )
        except TelegramError as error:  # they come again at the next start: handled once
            log.info("handled updates not confirmed at stop: %s", error)

    # taking and handling ------------------------------------------------------------------

    def _take(self, batch: Sequence[Update]) -> int:
        """Start the updates not seen yet, in order, while there is room; the rest are read
        again later. Returns how many were started."""
        started = 0
        for update in batch:
            number = update.update_id
            if number in self._tasks or number in self._done:
                continue
            if self.offset is not None and number < self.offset:
                continue  # already handled and confirmed (a stray redelivery)
            if len(self._tasks) >= self.in_flight:
                break
            if self._order and number < self._order[-1]:
                continue  # out of order: never expected from Telegram
            ticket = self.lanes.ticket(keys_of(_chat_id(update), _user_id(update)))
            self._order.append(number)
            self._tasks[number] = asyncio.create_task(self._run(update, ticket))
            started += 1
        return started

    def _known(self, number: int) -> bool:
        """An update a fetch need not parse again: confirmable, being handled or held, or done.
        One waiting for its turn is parsed again, so an outage still tells its sender."""
        return (
            (self.offset is not None and number < self.offset)
            or number in self._done
            or number in self._working
            or number in self._held
        )

    async def _run(self, update: Update, ticket: Ticket) -> None:
        number = update.update_id
        handled = False
        try:
            await ticket.wait()
            if self._gave_up is not None:
                return  # left with Telegram, after the held one
            await self._handle(update)
            handled = True
        except StorageUnavailable as error:
            if self._gave_up is None:
                self._gave_up = error
        except Exception:  # a bug in handling must not block the updates after it
            log.exception("Telegram update %s failed", number)
            handled = True
        finally:
            ticket.release()
            self._tasks.pop(number, None)
            if handled:
                self._done.add(number)
                self._advance()
            self._progress.set()

    def _advance(self) -> None:
        while self._order and self._order[0] in self._done:
            number = self._order.popleft()
            self._done.discard(number)
            self.offset = number + 1

    async def _handle(self, update: Update) -> None:
        """Handle ``update``; through an outage, hold it and tell its sender once."""
        number = update.update_id

        async def on_hold(_error: StorageUnavailable) -> None:
            self._working.discard(number)
            self._held.add(number)
            await self._tell(update)

        self._working.add(number)
        try:
            await self.adapter.app.health.patiently(
                lambda: self.adapter.handle_update(update), on_hold=on_hold
            )
        finally:
            self._working.discard(number)
            self._held.discard(number)
            if not self._held:
                self._told.clear()

    async def _settle(self, seconds: float | None) -> None:
        """Wait for the updates in flight (up to ``seconds``), then cancel what is left."""
        tasks = set(self._tasks.values())
        if not tasks:
            return
        _done, late = await asyncio.wait(tasks, timeout=seconds)
        for task in late:
            task.cancel()
        if late:
            log.info("%d update(s) still being handled at stop: they come again", len(late))
            await asyncio.wait(late)

    # telling the waiting ------------------------------------------------------------------

    async def _tell_all(self, batch: Sequence[Update]) -> None:
        """While an update is held, tell everyone whose update is pending (not handled, not
        being handled) once that their answer is coming."""
        for pending in batch:
            number = pending.update_id
            if number in self._done or number in self._working:
                continue
            if self.offset is not None and number < self.offset:
                continue
            await self._tell(pending)

    async def _tell(self, update: Update) -> None:
        if update.update_id not in self._told:
            self._told.add(update.update_id)
            await self.adapter.tell_held(update)

    async def _fetch(self, wait: int, limit: int = BATCH) -> tuple[Update, ...]:
        """The updates from :attr:`offset` on (waiting up to ``wait`` seconds for one),
        retried through network trouble."""
        pause = self.backoff
        while True:
            try:
                return await self.bot.get_updates(
                    offset=self.offset,
                    timeout=wait,
                    limit=limit,
                    allowed_updates=self.allowed_updates,
                )
            except (TimedOut, NetworkError, RetryAfter, Conflict) as error:
                _stop_if_cancelled(error)
                if isinstance(error, TimedOut):
                    continue  # a long poll that outlived its read timeout: ask again
                if isinstance(error, RetryAfter):
                    await asyncio.sleep(_seconds(error.retry_after))
                    continue
                if isinstance(error, Conflict):  # another process polls with this token
                    log.warning("polling conflict: %s; is the bot running twice?", error)
                else:
                    log.warning("getUpdates failed (%s); again in %.1f s", error, pause)
            except InvalidToken:
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.max_backoff)


def _stop_if_cancelled(error: Exception | None) -> None:
    """A stop that met the HTTP call may come back as a network error, or as the call's
    answer (the HTTP layer swallowed the cancellation): raise it again rather than poll on
    for ever."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from error


def _chat_id(update: Update) -> int | None:
    chat = update.effective_chat
    return chat.id if chat is not None else None


def _user_id(update: Update) -> int | None:
    user = update.effective_user
    return user.id if user is not None else None


def _seconds(value: object) -> float:
    """``RetryAfter.retry_after``: seconds, or a ``timedelta`` in later PTB versions."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
