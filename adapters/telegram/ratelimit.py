"""PTB's rate limiter, except for the outbox's sends: a 429 is handed back at once.

python-telegram-bot's ``AIORateLimiter`` waits out a 429 in place and, meanwhile, holds every
other request of the bot (whatever the chat). For a reply in a request that is right; for the
outbox's dispatcher it is what made one chat's 429 pause the whole platform. While
``bot.core.ports.OUTBOX_SEND`` is set (the dispatcher sets it around each send), a 429 is
raised at once instead: the dispatcher sets that chat aside and goes on with the others
(docs/delivery.md). The overall and per-group pacing still apply.
"""

from __future__ import annotations

import contextlib
from typing import Any

from telegram.ext import AIORateLimiter

from bot.core.ports import OUTBOX_SEND


class OutboxAwareRateLimiter(AIORateLimiter):
    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if not OUTBOX_SEND.get():
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        group: int | str | bool = False
        if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str):
            group = chat_id  # as PTB does: groups, supergroups and channels
        return await self._run_request(  # no retry here: RetryAfter goes to the dispatcher
            chat=chat_id is not None,
            group=group,
            allow_paid_broadcast=bool(data.get("allow_paid_broadcast", False)),
            callback=callback,
            args=args,
            kwargs=kwargs,
        )
