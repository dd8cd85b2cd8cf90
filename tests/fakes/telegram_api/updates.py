"""Updates on their way to the bot: the queue ``getUpdates`` long-polls, and webhook delivery.

Updates are kept in update_id order; an ``offset`` confirms those below it, and, as Telegram
does, a confirmed update is never sent again.

Webhook mode (:meth:`FakeTelegram.deliver`): the fake POSTs an update to a webhook URL, as
Telegram does, with the secret token header, and delivers it again (to the URL the test picks
each time: a load balancer's choice of worker) until one call is answered 2xx; a call that is
refused, cut or left unanswered for ``timeout`` seconds counts as not delivered.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
from typing import Any

import aiohttp

from tests.fakes.telegram_api.base import FakeTelegramBase
from tests.fakes.telegram_api.records import Delivery


class TelegramUpdates(FakeTelegramBase):
    """Feeds updates by long polling or by webhook, and answers the webhook methods."""

    # feeding updates -----------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> int:
        """Queue an update for ``getUpdates``; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        async with self._changed:
            self._queue(update)
            self._changed.notify_all()
        return int(update["update_id"])

    def _queue(self, update: dict[str, Any]) -> None:
        """Keep :attr:`_updates` in update_id order (a caller may number an update itself)."""
        bisect.insort(self._updates, update, key=lambda u: int(u["update_id"]))

    @property
    def last_pushed(self) -> int:
        """The update_id of the newest update queued (0: none yet)."""
        return max((int(u["update_id"]) for u in self._updates), default=0)

    def numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        """The update with the next update_id, kept as sent (for webhook delivery)."""
        update = {"update_id": next(self._update_ids), **update}
        self._queue(update)
        return update

    async def deliver(
        self,
        update: dict[str, Any],
        pick: Any,
        *,
        secret: str,
        answer_within: float = 10.0,
        within: float = 60.0,
        pause: float = 0.1,
    ) -> int:
        """Deliver a numbered update to the webhook as Telegram does: POST it to ``pick()`` (a
        URL, chosen anew for every attempt), and again after ``pause`` until a call is
        answered 2xx within ``answer_within`` seconds (Telegram's patience). Returns the
        number of calls it took; each is in :attr:`deliveries`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        calls = 0
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=answer_within)
        ) as web_:
            while True:
                url = str(pick())
                calls += 1
                status: int | None = None
                try:
                    async with web_.post(url, json=update, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = None
                await self._delivered(Delivery(int(update["update_id"]), url, status))
                if status is not None and 200 <= status < 300:
                    return calls
                if loop.time() > deadline:
                    raise TimeoutError(f"update {update['update_id']} never delivered")
                await asyncio.sleep(pause)

    async def _delivered(self, delivery: Delivery) -> None:
        async with self._changed:
            self.deliveries.append(delivery)
            self._changed.notify_all()

    async def redeliver(self, update_id: int) -> None:
        """Deliver an update again, as Telegram does when it thinks the bot missed it."""
        original = next(u for u in self._updates if u["update_id"] == update_id)
        async with self._changed:
            self._redeliver.append(original)
            self._changed.notify_all()

    # getUpdates ----------------------------------------------------------------------

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        async with self._changed:  # waiters see a confirmation when it arrives
            self.offsets.append(int(params.get("offset", 0) or 0))
            self._changed.notify_all()
        self._confirmed = max(self._confirmed, int(params.get("offset", 0) or 0))
        offset = self._confirmed
        timeout = float(params.get("timeout", 0) or 0)

        limit = int(params.get("limit", 0) or 100)

        def ready() -> list[dict[str, Any]]:
            return (self._redeliver + self._pending(offset, limit))[:limit]

        async with self._changed:
            if not ready() and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(ready()) or self._closing), timeout
                    )
            batch = ready()
            self._redeliver = []
        return batch

    def _first_pending(self, offset: int) -> int:
        """Where the first update numbered ``offset`` or more sits: updates are numbered as they
        are queued, so a search, not a walk of every update ever queued (a long bench made
        each getUpdates slower than the last, and billed it to the bot under test)."""
        return bisect.bisect_left(self._updates, offset, key=lambda u: int(u["update_id"]))

    def _pending(self, offset: int, limit: int) -> list[dict[str, Any]]:
        start = self._first_pending(offset)
        return self._updates[start : start + limit]

    # the webhook ---------------------------------------------------------------------

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates) - self._first_pending(self._confirmed),
        }
        if self.webhook_error:
            info["last_error_date"] = 1_795_000_000
            info["last_error_message"] = self.webhook_error
        return info
