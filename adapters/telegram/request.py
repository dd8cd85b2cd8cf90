"""The HTTP layer under python-telegram-bot, with retries for failures that pass.

PTB's ``AIORateLimiter`` already waits and retries when Telegram answers ``429 Too Many
Requests`` (``RetryAfter``). It does not retry server errors (5xx) nor dropped connections, which
a long-running bot meets every few days; this request class retries those with exponential
backoff. A call that may have reached Telegram without its answer reaching us (a read timeout,
a connection closed after the request was written: :func:`may_have_arrived`) is not retried
when it posts something (``send*``, ``copy*``, ``forward*``, ``createForumTopic``): Telegram
may have handled it already and has no way to drop a repeat, so the caller (the outbox)
decides what to do about a message that may be in the chat.

It also lets at most ``calls_at_once`` calls be on the wire together (uploads aside). With 32
updates handled at once, 32 replies went out at once, and httpx's connection pool did its
bookkeeping per connection and per waiting request at every step: each call cost about twice
its CPU alone. Eight at once carry Telegram's 30 messages a second with room (80 a second at a
100 ms answer time); files, which take seconds, never hold a turn (docs/performance.md,
*Request-path targets, session 7*). The calls themselves go through aiohttp
(:mod:`adapters.telegram.transport`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from adapters.telegram.transport import NOT_SENT, AiohttpRequest

log = logging.getLogger(__name__)

POSTING = ("send", "copy", "forward", "createForumTopic")
"""Methods (by name prefix) that post something: repeating one may post it twice."""


def may_have_arrived(error: NetworkError) -> bool:
    """Whether the failed call may have been handled by Telegram: the connection failed after
    the request was fully written (an error *answer*, such as a 502, says it was not)."""
    cause = error.__cause__
    return isinstance(cause, (aiohttp.ClientError, TimeoutError)) and not isinstance(
        cause, NOT_SENT
    )


def timed_out_reading(error: NetworkError) -> bool:
    """The answer did not come in time: the call went out (a long poll, or a slow Telegram).
    Any timeout but "no connection in time" counts: aiohttp's read timeout is one."""
    cause = error.__cause__
    return isinstance(cause, TimeoutError) and not isinstance(cause, NOT_SENT)


def posts(endpoint: str) -> bool:
    return endpoint.startswith(POSTING)


class RetryingRequest(AiohttpRequest):
    """:class:`AiohttpRequest` that retries 5xx answers and connection failures with backoff."""

    def __init__(
        self,
        *,
        attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        calls_at_once: int = 8,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._turns = asyncio.Semaphore(max(1, calls_at_once))
        """Calls on the wire (uploads aside): the retries' waits are outside it."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        delay = self.backoff
        endpoint = url.rsplit("/", 1)[-1]
        for attempt in range(1, self.attempts + 1):
            try:
                async with self._turn(request_data):
                    code, payload = await super().do_request(
                        url,
                        method,
                        request_data=request_data,
                        read_timeout=read_timeout,
                        write_timeout=write_timeout,
                        connect_timeout=connect_timeout,
                        pool_timeout=pool_timeout,
                    )
            except NetworkError as error:
                if attempt == self.attempts or timed_out_reading(error):
                    raise
                if posts(endpoint) and may_have_arrived(error):
                    raise
                log.warning("%s failed (%s); retry %d in %.2fs", endpoint, error, attempt, delay)
            else:
                if code < 500 or attempt == self.attempts:
                    return code, payload
                log.warning("%s answered %d; retry %d in %.2fs", endpoint, code, attempt, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")  # pragma: no cover

    def _turn(self, request_data: RequestData | None) -> AbstractAsyncContextManager[Any]:
        """A turn among the calls on the wire; an upload goes at once."""
        if request_data is not None and request_data.contains_files:
            return contextlib.nullcontext()
        return self._turns


class UpdatesRequest(AiohttpRequest):
    """getUpdates' own HTTP layer, which drops from each answer the updates polling already
    has, before python-telegram-bot parses them.

    Polling asks from the first unhandled update on (an ``offset`` confirms everything below
    it), so each fetch returns again the updates still in flight; parsing them into ``Update``
    objects every time cost more than handling them. :attr:`known` (set by
    :class:`adapters.telegram.polling.Polling`) says which ones to drop; PTB only parses the
    rest. It is used for getUpdates alone (PTB's ``get_updates_request``).
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.known: Callable[[int], bool] = lambda _update_id: False

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = BaseRequest.parse_json_payload(payload)
        result = data.get("result")
        if data.get("ok") and isinstance(result, list):
            data["result"] = [
                update
                for update in result
                if not (isinstance(update, dict) and self.known(update.get("update_id", -1)))
            ]
        return data
