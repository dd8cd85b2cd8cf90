"""The router: one request in, replies out, in one transaction.

It deduplicates redelivered updates, finds (or creates) the member, picks the community,
decides what the caller may do, parses arguments with the registry, and runs the handler.
Reading the request (which command, whether the caller may run it, how a refusal reads) is
:class:`~bot.core.command_dispatch.CommandDispatch`'s; the router holds the transaction.
Any :class:`UserFacingError` rolls the whole transaction back, so bad input changes nothing.

It uses the running app only through :class:`~bot.core.ports.Ports` and learns of write
conflicts through storage's own errors (``storage.errors``), so the core imports neither the app
nor SQLAlchemy.

Each request is reported once to the router's ``observers`` (:mod:`bot.core.handled`): the
declared command it ran, its outcome and duration, never what the person typed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.caller import caller_context
from bot.core.command_dispatch import ANSWER_PREFIX, CommandDispatch, as_list
from bot.core.errors import UserFacingError
from bot.core.handled import ANSWER, INLINE, TEXT, UNKNOWN, Handled, Outcome, RequestObserver
from bot.core.i18n import Plural
from bot.core.messages import INLINE_LIMIT, Destination, Reply, Request, RequestKind
from bot.core.personal import place_replies
from storage.errors import (
    AlreadyHandled,
    ConstraintViolation,
    DuplicateKeyError,
    StorageUnavailable,
)

if TYPE_CHECKING:
    from bot.core.ports import Ports
    from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_INPUT_LENGTH = 8000
"""Longer messages are refused before anything is parsed (each argument has its own limit)."""


class _RollBack(Exception):
    """Carries the replies out of a transaction that must not be committed."""

    def __init__(self, replies: list[Reply], outcome: Outcome = Outcome.OK) -> None:
        self.replies = replies
        self.outcome = outcome


class Router(CommandDispatch):
    def __init__(self, ports: Ports, observers: Sequence[RequestObserver] = ()) -> None:
        self.ports = ports
        self.observers: list[RequestObserver] = list(observers)
        """Told of every request once it is handled (metrics, the request log)."""

    async def handle(self, request: Request) -> list[Reply]:
        """Handle one request; never raises for anything a user can do.

        Raises :class:`StorageUnavailable` when the database cannot be used, and the adapter
        keeps the update to try again. Nothing was committed, unless the connection died
        during the commit itself: then the update id was recorded with the rest, the retry is
        ignored as a redelivery and that one answer is lost (never done twice).
        """
        started = time.perf_counter()
        outcome = Outcome.FAILED  # unless the request ends otherwise
        try:
            replies, outcome = await self._handled(request)
            return replies
        except StorageUnavailable:
            outcome = Outcome.HELD
            raise
        finally:
            self._report(request, outcome, time.perf_counter() - started)

    async def _handled(self, request: Request) -> tuple[list[Reply], Outcome]:
        if request.kind is RequestKind.INLINE:
            return await self._inline(request)
        for attempt in (1, 2):
            try:
                async with self.ports.unit_of_work() as uow:
                    return await self._handle(uow, request), Outcome.OK
            except _RollBack as rollback:
                if not await self._record_rolled_back(request, rollback.outcome):
                    return [], Outcome.DUPLICATE
                return rollback.replies, rollback.outcome
            except ConstraintViolation:
                # Two first contacts of one person at once (Discord runs interactions
                # concurrently) both create the member (a DuplicateKeyError): the second try
                # finds it. Any other broken constraint gets the same one retry, then surfaces.
                if attempt == 2:
                    raise
                log.info("conflicting write for %s; trying once more", self._label(request))
        return [], Outcome.FAILED

    async def _record_rolled_back(self, request: Request, outcome: Outcome) -> bool:
        """A refused or failed request changes nothing, but is answered: record its update
        on its own, so a redelivery (or a twin handled by another process at the same time)
        is not answered a second time. False when a twin recorded it first: stay silent."""
        if request.update_id is None or outcome not in (Outcome.REFUSED, Outcome.FAILED):
            return True
        async with self.ports.unit_of_work() as uow:
            first = await uow.updates.first_time(
                request.actor.platform.value, request.update_id, self.ports.clock.now()
            )
        if not first:
            log.info("duplicate delivery of %s ignored", request.update_id)
        return first

    def _label(self, request: Request) -> str:
        """The declared command a request runs, for metrics and logs: never the typed text."""
        if request.kind is RequestKind.INLINE:
            return INLINE
        if request.kind is RequestKind.TEXT:
            return TEXT
        if request.kind is RequestKind.BUTTON and request.text.startswith(ANSWER_PREFIX):
            return ANSWER
        named, typed = self._words(request)
        spec, used = self.ports.registry.resolve(named + typed)
        return spec.name if spec is not None and used >= len(named) else UNKNOWN

    def _report(self, request: Request, outcome: Outcome, seconds: float) -> None:
        if not self.observers:
            return
        handled = Handled(
            platform=request.actor.platform.value,
            kind=request.kind.value,
            command=self._label(request),
            outcome=outcome,
            seconds=seconds,
        )
        for observe in self.observers:
            try:
                observe(handled)
            except Exception:  # watching must never break answering
                log.exception("request observer %r failed", observe)

    async def _handle(self, uow: UnitOfWork, request: Request) -> list[Reply]:
        # Where storage can (PostgreSQL), the update is recorded first, in the caller lookup's
        # own statement: one round trip less, and a redelivery runs no handler at all.
        early = request.update_id is not None and uow.callers.records_updates
        try:
            ctx = await caller_context(self.ports, uow, request, record_update=early)
        except AlreadyHandled:
            log.info("update %s already handled", request.update_id)
            raise _RollBack([], Outcome.DUPLICATE) from None
        try:
            if len(request.text) > MAX_INPUT_LENGTH:
                raise UserFacingError(
                    Plural(
                        "That message is too long: please keep it under {count} character (it "
                        "has {length}).",
                        "That message is too long: please keep it under {count} characters (it "
                        "has {length}).",
                        MAX_INPUT_LENGTH,
                    ),
                    length=len(request.text),
                )
            replies = place_replies(request, await self._dispatch(ctx), ctx.translator)
            if not early:
                await self._record_update(uow, request)
            return replies
        except UserFacingError as error:
            raise _RollBack([self._error_reply(ctx, error)], Outcome.REFUSED) from None
        except (_RollBack, StorageUnavailable):
            raise  # an outage is not the handler's bug: the adapter keeps the update
        except Exception:
            log.exception("handler failed for %s", self._label(request))
            raise _RollBack(
                [
                    ctx.reply(
                        ctx._(
                            "Sorry, something went wrong on my side and nothing was changed. "
                            "Please try again in a moment."
                        ),
                        destination=Destination.EPHEMERAL,
                    )
                ],
                Outcome.FAILED,
            ) from None

    async def _record_update(self, uow: UnitOfWork, request: Request) -> None:
        """Record the update as handled, last, in the request's transaction: a redelivery
        (or a twin running at the same time in another process) then commits nothing and
        answers nothing. (PostgreSQL records it first, with the caller lookup: ``_handle``.)

        Last rather than first on SQLite: the record is a write, and there the first write of
        a transaction takes the database's one write lock until the commit. Recorded first, a
        slow read-only request (a report) held every other member's request for its whole
        duration. A redelivery runs its handler again before it finds the record; its work is
        rolled back, so it costs time, never a second effect. PostgreSQL locks only the new
        key, so a twin in flight waits for the first, and nobody else waits at all.
        """
        if request.update_id is None:
            return
        try:
            first = await uow.updates.first_time(
                request.actor.platform.value, request.update_id, self.ports.clock.now()
            )
        except DuplicateKeyError:  # a concurrent twin of this delivery recorded it first
            first = False
        if not first:
            log.info("update %s already handled", request.update_id)
            raise _RollBack([], Outcome.DUPLICATE)

    async def refusal(self, request: Request) -> list[Reply]:
        """The refusal the command in ``request`` would meet for who asks and where, else
        ``[]``; runs no handler and changes nothing.

        Adapters that must ask for more before the real request (Discord opens a form for long
        arguments) call this first, so nobody fills in a form only to be told they may not.
        The real request is checked again, since rights can change while the form is open.
        """
        try:
            async with self.ports.unit_of_work() as uow:
                ctx = await caller_context(self.ports, uow, request)
                replies: list[Reply] = []
                spec = self._resolve(ctx)
                if spec is not None:
                    try:
                        self._authorize(ctx, spec)
                    except UserFacingError as error:
                        replies = [self._error_reply(ctx, error)]
                raise _RollBack(replies)  # never commit: a first contact leaves no member
        except _RollBack as rollback:
            return rollback.replies

    async def _inline(self, request: Request) -> tuple[list[Reply], Outcome]:
        """An inline lookup: read-only, so a repeated identical query gets the same answer.

        The update id is not recorded, a person the bot has never met is not created (they get
        a member object that is never saved), and the transaction is rolled back whatever the
        handler did. Bad input and failures give no results rather than an error message: the
        answer is a list of cards, and there is nowhere to show an apology.
        """
        handler = self.ports.registry.inline_handler
        if handler is None:
            return [], Outcome.OK
        try:
            async with self.ports.unit_of_work() as uow:
                ctx = await caller_context(self.ports, uow, request, create=False)
                try:
                    replies = as_list(await handler(ctx))[:INLINE_LIMIT]
                except UserFacingError as error:
                    log.info("inline lookup refused: %s", error.message)
                    raise _RollBack([], Outcome.REFUSED) from None
                raise _RollBack(replies)
        except _RollBack as rollback:
            return rollback.replies, rollback.outcome
        except StorageUnavailable:  # logged once by the app's health; a lookup is not kept
            return [], Outcome.HELD
        except Exception:
            log.exception("inline lookup failed")
            return [], Outcome.FAILED
