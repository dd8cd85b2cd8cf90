"""Sending: one claimed outbox row through its platform's messenger, or not at all when the
chat may already hold it.

A 429 pauses the platform's bucket and the same row is tried again in place (a few times);
any other failure is recorded for a later retry or as final, by :class:`Outcomes`.

A send that may have arrived without our knowing (a timeout after the request was written, a
crash while sending: ``OutboxMessage.maybe_sent_at``) is not repeated blindly. Where the
platform lets us look in the chat (Discord), the next attempt looks first and records the
message it finds; where it deduplicates by itself (Discord's nonce), the row is sent with the
same key. Where neither is possible (Telegram), the kind decides: a reminder or an
announcement is sent again, once (a repeat is better than a forgotten webinar), a relay or a
notice is recorded ``unconfirmed`` and left (a repeat in a thread is worse). See
docs/delivery.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import (
    OUTBOX_SEND,
    DeliveryError,
    MaybeDeliveredError,
    Messenger,
    RateLimitedError,
)
from bot.delivery.outbox import payload_reply
from bot.delivery.pacing import Pacing
from bot.delivery.ports import DedupingMessenger, HistoryMessenger
from bot.delivery.recording import Outcomes
from bot.delivery.report import DispatchReport
from storage.models import OutboxMessage
from storage.statuses import OutboxStatus

if TYPE_CHECKING:
    from bot.delivery.ports import DeliveryPorts

log = logging.getLogger(__name__)

RATE_LIMIT_RETRIES = 5
"""How often one send is tried again after a 429 (in place for the platform's, after setting
its chat aside for the chat's) before it is recorded as a failed attempt."""


@dataclass(frozen=True)
class Paused:
    """The row was not sent: a 429 for its chat. The chat waits ``seconds``, the row stays
    first in it, and the workers go on with other chats."""

    seconds: float


class _ChatLimited(Exception):
    def __init__(self, error: RateLimitedError) -> None:
        super().__init__(str(error))
        self.error = error


REPEAT_WHEN_UNSURE = frozenset({"reminder", "announcement"})
"""Kinds sent once more when a send may have arrived and the chat cannot be checked: a
reminder twice is a small annoyance, a reminder lost is the failure reminder bots are known
for; an announcement is the one message admins count on reaching every member and chat (its
report counts them). If the repeat goes unanswered too, the chat very likely shows it: it is
left unconfirmed. Every other kind (relayed answers, question posts, notices, digests) is never
repeated blindly: a repeat in a thread is seen by everyone, and a notice missed is no loss."""


class RowSender:
    """Sends claimed rows and has their outcome recorded."""

    def __init__(
        self,
        app: DeliveryPorts,
        pacing: Pacing,
        outcomes: Outcomes,
        *,
        longest_chat_pause: float = 15.0,
    ) -> None:
        self.app = app
        self.pacing = pacing
        self.outcomes = outcomes
        self.longest_chat_pause = longest_chat_pause
        """A chat asked to wait longer than this gives its row back to the outbox, with a
        due time after the wait, rather than keeping the pass alive for it."""
        self._chat_429s: dict[int, int] = {}

    async def attempt(self, row: OutboxMessage, report: DispatchReport) -> bool | Paused:
        """Send one claimed row and record the outcome in its own short transaction.

        True when the row is done (sent, unconfirmed or failed for good), so its chat may go
        on; False when it waits for a retry and the chat's later rows must wait behind it;
        :class:`Paused` when a 429 for its chat sets the chat aside (the row stays claimed).
        """
        messenger = self.app.messengers.get(Platform(row.platform))
        recipient = Recipient(Platform(row.platform), row.chat_id, row.thread_id, row.private)
        earlier = row.maybe_sent_at
        began = self.app.clock.now()
        error: DeliveryError
        try:
            if messenger is None:
                raise DeliveryError(f"no messenger for {row.platform}", retryable=True)
            reply = payload_reply(row.payload)
            if earlier is not None:
                if await self._settle_unsure(row, messenger, recipient, reply, earlier, report):
                    return True
            elif row.kind not in REPEAT_WHEN_UNSURE:
                await self.outcomes.may_arrive(row, began)
            sent = await self._send(row, messenger, recipient, reply, report)
        except _ChatLimited as limited:
            paused = await self._chat_limited(row, limited.error, earlier)
            if paused is not None:
                return paused
            error = limited.error
        except MaybeDeliveredError as unsure:
            return await self._unsure(row, messenger, unsure, earlier, began, report)
        except DeliveryError as failure:
            error = failure
        except Exception as failure:  # a bug or a network error: try again later
            log.exception("sending outbox row %s failed", row.id)
            error = DeliveryError(repr(failure), retryable=True)
        else:
            return await self._delivered(row, sent, report)
        # Nothing arrived this time: only an earlier attempt may have (kept for the next one).
        retry_at = None
        if isinstance(error, RateLimitedError) and error.scope == "chat":
            retry_at = self.app.clock.now() + timedelta(seconds=error.retry_after)
        status = await self.outcomes.failed(row, error, maybe_sent_at=earlier, retry_at=retry_at)
        if status == OutboxStatus.PENDING:
            report.retried += 1
            report.count("retried", row.platform, row.private)
            return False
        report.failed += 1
        report.count("failed", row.platform, row.private)
        log.warning("outbox row %s failed for good: %s", row.id, error)
        return True

    async def _send(
        self,
        row: OutboxMessage,
        messenger: Messenger,
        recipient: Recipient,
        reply: Reply,
        report: DispatchReport,
    ) -> SentMessage:
        """One send, waiting out the platform's 429s in place (the chat keeps its order); a
        429 for the chat alone is raised as :class:`_ChatLimited` (the chat is set aside)."""
        limited: RateLimitedError | None = None
        for _ in range(RATE_LIMIT_RETRIES):
            token = OUTBOX_SEND.set(True)  # the messenger hands 429s back: handled here
            try:
                if isinstance(messenger, DedupingMessenger):
                    return await messenger.send_once(recipient, reply, key=row.idempotency_key)
                return await messenger.send(recipient, reply)
            except RateLimitedError as error:
                report.rate_limited += 1
                report.count("rate_limited", row.platform, row.private)
                limited = error
                bucket = self.pacing.bucket(row.platform)
                if error.scope == "chat":
                    flood = self.pacing.chats.pause(row.platform, row.chat_id, error.retry_after)
                    if not flood:
                        raise _ChatLimited(error) from error
                    log.warning("429s from many %s chats at once: pausing it", row.platform)
                bucket.pause(error.retry_after)
                await bucket.acquire()
            finally:
                OUTBOX_SEND.reset(token)
        assert limited is not None
        raise limited

    async def _chat_limited(
        self, row: OutboxMessage, error: RateLimitedError, earlier: datetime | None
    ) -> Paused | None:
        """A 429 for the row's chat: set the chat aside (:class:`Paused`), or None when the
        row is recorded as a failed attempt instead (too many 429s, or a long wait)."""
        if row.kind not in REPEAT_WHEN_UNSURE and earlier is None:
            await self.outcomes.not_sent(row)  # the mark made before the send is wrong now
        tries = self._chat_429s.get(row.id, 0) + 1
        if tries >= RATE_LIMIT_RETRIES or error.retry_after > self.longest_chat_pause:
            self._chat_429s.pop(row.id, None)
            return None
        self._chat_429s[row.id] = tries
        return Paused(error.retry_after)

    async def _delivered(
        self, row: OutboxMessage, sent: SentMessage, report: DispatchReport
    ) -> bool:
        """Record a delivered row; False when the record failed (the row stays ``sending``,
        its chat waits: the next pass starts from it again)."""
        self._chat_429s.pop(row.id, None)
        now = self.app.clock.now()
        if not await self.outcomes.sent(row, sent, now):
            return False
        await self.outcomes.after_sent(row, sent)
        report.sent += 1
        report.count("sent", row.platform, row.private)
        report.delays.append((now - row.due_at).total_seconds())
        return True

    async def _settle_unsure(
        self,
        row: OutboxMessage,
        messenger: Messenger,
        recipient: Recipient,
        reply: Reply,
        since: datetime,
        report: DispatchReport,
    ) -> bool:
        """Before resending a row that may have arrived: True when it is settled without a
        send (the chat holds it: recorded sent; or left unconfirmed), False to send it."""
        if isinstance(messenger, HistoryMessenger):
            found = await messenger.find_sent(recipient, reply, since=since)
            if found is None:
                return False
            log.info("outbox row %s was already in its chat (message %s)", row.id, found.message_id)
            report.found_in_chat += 1
            await self._delivered(row, found, report)
            return True
        if row.kind in REPEAT_WHEN_UNSURE:
            return False
        await self.outcomes.unconfirmed(row, "an earlier send may have arrived; not repeated")
        report.unconfirmed += 1
        return True

    async def _unsure(
        self,
        row: OutboxMessage,
        messenger: Messenger | None,
        error: MaybeDeliveredError,
        earlier: datetime | None,
        began: datetime,
        report: DispatchReport,
    ) -> bool:
        """The platform may hold the message: try again later where the chat can be read (it
        is looked at first); repeat a kind that prefers a repeat, once; else leave it
        unconfirmed. Out of attempts, a row that may have arrived is unconfirmed, not failed."""
        report.maybe_delivered += 1
        can_look = isinstance(messenger, HistoryMessenger)
        repeat = row.kind in REPEAT_WHEN_UNSURE and earlier is None  # one repeat at most
        if (can_look or repeat) and row.attempts < self.outcomes.max_attempts:
            await self.outcomes.failed(row, error, maybe_sent_at=earlier or began)
            report.retried += 1
            report.count("retried", row.platform, row.private)
            return False
        await self.outcomes.unconfirmed(row, str(error))
        report.unconfirmed += 1
        log.warning("outbox row %s may have arrived; not repeated: %s", row.id, error)
        return True
