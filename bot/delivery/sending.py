"""Sending: one claimed outbox row through its platform's messenger.

A 429 pauses the platform's bucket and the same row is tried again in place (a few times);
any other failure is recorded for a later retry or as final, by :class:`Outcomes`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core.messages import Platform, Recipient
from bot.core.ports import DeliveryError, RateLimitedError
from bot.delivery.outbox import payload_reply
from bot.delivery.pacing import Pacing
from bot.delivery.recording import Outcomes
from bot.delivery.report import DispatchReport
from storage.models import OutboxMessage
from storage.statuses import OutboxStatus

if TYPE_CHECKING:
    from bot.delivery.ports import DeliveryPorts

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
"""How often one send is retried in place after a 429 before it goes back to the queue."""


class RowSender:
    """Sends claimed rows and has their outcome recorded."""

    def __init__(self, app: DeliveryPorts, pacing: Pacing, outcomes: Outcomes) -> None:
        self.app = app
        self.pacing = pacing
        self.outcomes = outcomes

    async def attempt(self, row: OutboxMessage, report: DispatchReport) -> None:
        """Send one claimed row and record the outcome in its own short transaction."""
        messenger = self.app.messengers.get(Platform(row.platform))
        recipient = Recipient(Platform(row.platform), row.chat_id, row.thread_id, row.private)
        error: DeliveryError | None = None
        try:
            if messenger is None:
                raise DeliveryError(f"no messenger for {row.platform}", retryable=True)
            reply = payload_reply(row.payload)
            for _ in range(RATE_LIMIT_RETRIES):
                try:
                    sent = await messenger.send(recipient, reply)
                except RateLimitedError as limited:
                    report.rate_limited += 1
                    error = limited
                    bucket = self.pacing.bucket(row.platform)
                    bucket.pause(limited.retry_after)
                    await bucket.acquire()
                    continue
                now = self.app.clock.now()
                if not await self.outcomes.sent(row, sent, now):
                    return  # delivered; stale recovery may resend it once (logged)
                await self.outcomes.after_sent(row, sent)
                report.sent += 1
                report.delays.append((now - row.due_at).total_seconds())
                return
        except DeliveryError as failure:
            error = failure
        except Exception as failure:  # a bug or a network error: try again later
            log.exception("sending outbox row %s failed", row.id)
            error = DeliveryError(repr(failure), retryable=True)
        assert error is not None
        status = await self.outcomes.failed(row, error)
        if status == OutboxStatus.PENDING:
            report.retried += 1
        else:
            report.failed += 1
            log.warning("outbox row %s failed for good: %s", row.id, error)
