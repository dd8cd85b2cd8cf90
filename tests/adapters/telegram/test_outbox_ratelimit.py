"""For the outbox's sends, a 429 comes back at once instead of holding every request."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from adapters.telegram.messenger import delivery_error
from adapters.telegram.ratelimit import OutboxAwareRateLimiter
from bot.core.ports import OUTBOX_SEND, RateLimitedError


async def test_an_outbox_send_gets_its_429_at_once_and_others_go_on() -> None:
    limiter = OutboxAwareRateLimiter(max_retries=3)
    await limiter.initialize()
    calls: list[str] = []

    async def limited(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        calls.append("limited")
        raise RetryAfter(5)

    async def other(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        calls.append("other")
        return {"ok": True}

    token = OUTBOX_SEND.set(True)
    try:
        with pytest.raises(RetryAfter) as raised:
            await asyncio.wait_for(
                limiter.process_request(limited, (), {}, "sendMessage", {"chat_id": 7}, None), 1
            )
    finally:
        OUTBOX_SEND.reset(token)
    # Another chat's request is not held behind the 429 (PTB's own retry would hold it 5 s).
    await asyncio.wait_for(
        limiter.process_request(other, (), {}, "sendMessage", {"chat_id": 8}, None), 1
    )
    assert calls == ["limited", "other"]
    error = delivery_error(raised.value, 7, partly=False)
    assert isinstance(error, RateLimitedError) and error.scope == "chat"
    assert error.retry_after == 5
    await limiter.shutdown()


async def test_a_request_reply_keeps_ptbs_in_place_retry() -> None:
    limiter = OutboxAwareRateLimiter(max_retries=1)
    await limiter.initialize()
    tries: list[int] = []

    async def once_limited(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        tries.append(1)
        if len(tries) == 1:
            raise RetryAfter(0)
        return {"ok": True}

    assert await limiter.process_request(
        once_limited, (), {}, "sendMessage", {"chat_id": 7}, None
    ) == {"ok": True}
    assert len(tries) == 2
    await limiter.shutdown()
