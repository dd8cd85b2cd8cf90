"""Copies of sent messages are not kept for ever: done outbox rows are deleted after
``[privacy] keep_sent_days`` (docs/privacy.md).

An outbox row holds the whole message it sent (a question card signed with the asker's name, a
relayed answer, a reminder to a member's private chat). Once it is done (sent, failed or
missed) and older than the retention period, nothing needs it: idempotency keys of done rows
only guard against sending twice what could still be queued again, and no feature queues a row
that was due that long ago (a reminder's time has passed, a digest's week is over).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.config import PrivacyConfig
from bot.core.ports import Ports
from bot.features.privacy.commands import feature

log = logging.getLogger(__name__)


@feature.periodic
async def prune_sent_messages(ports: Ports, now: datetime) -> int:
    """Delete done outbox rows due more than ``keep_sent_days`` ago; return how many."""
    keep = timedelta(days=ports.services[PrivacyConfig].keep_sent_days)
    async with ports.unit_of_work() as uow:
        pruned = await uow.outbox.prune_done(due_before=now - keep)
    if pruned:
        log.info("pruned %d sent messages older than %s", pruned, keep)
    return pruned
