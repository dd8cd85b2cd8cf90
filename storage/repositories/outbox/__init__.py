"""The outbox: messages that must be sent once, claimed atomically by dispatchers.

Lifecycle of a row: ``pending`` → (claim) ``sending`` → ``sent``; or back to ``pending`` with a
later ``due_at`` after a retryable failure; ``failed`` after too many attempts or a permanent
error; ``missed`` when it was not sent within the grace window after its due time;
``unconfirmed`` when a send may have reached the platform and the chat cannot be checked.

Each chat is a queue in ``(order_at, id)`` order: a row is claimed only when no earlier row of
its chat is still waiting for a retry or being sent by another dispatcher, so a chat's messages
leave one after the other, in order, and a failed row holds the later ones back until it is
sent or given up.

One module per job, one class for callers (``uow.outbox``), composed here from their mixins:

- :mod:`.queueing`: :class:`NewMessage`, enqueueing, priority inheritance, withdrawing;
- :mod:`.claims`: atomic claims in each chat's order, and giving claims back;
- :mod:`.outcomes`: sent, failed or retried, unconfirmed, missed (and the bare statements the
  dispatcher's group commit runs);
- :mod:`.reading`: rows by key, the next wake-up, counts and backlogs;
- :mod:`.privacy`: a member's rows, found or deleted, and pruning the done rows;
- :mod:`.chat_order`: the SQL conditions of a chat's queue, shared by claims and reading.
"""

from __future__ import annotations

from storage.repositories.outbox.claims import CLAIM_LOCK, OutboxClaims
from storage.repositories.outbox.outcomes import (
    OutboxOutcomes,
    clear_maybe_sent_statement,
    mark_maybe_sent_statement,
    mark_sent_many,
    mark_sent_statement,
    retry_delay,
)
from storage.repositories.outbox.privacy import OutboxPersonalData
from storage.repositories.outbox.queueing import (
    NORMAL_PRIORITY,
    NOTIFY_CHANNEL,
    NewMessage,
    OutboxQueue,
)
from storage.repositories.outbox.reading import Backlog, OutboxReading


class OutboxRepository(
    OutboxQueue, OutboxClaims, OutboxOutcomes, OutboxReading, OutboxPersonalData
):
    """Everything done with the outbox table, in one transaction's session."""


__all__ = [
    "CLAIM_LOCK",
    "NORMAL_PRIORITY",
    "NOTIFY_CHANNEL",
    "Backlog",
    "NewMessage",
    "OutboxRepository",
    "clear_maybe_sent_statement",
    "mark_maybe_sent_statement",
    "mark_sent_many",
    "mark_sent_statement",
    "retry_delay",
]
