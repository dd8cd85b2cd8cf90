"""Putting messages in the outbox from the core, and waking the dispatcher after commit.

A feature renders its :class:`Reply` for the recipient (language, zone) and enqueues it with an
idempotency key; the dispatcher sends it later, once. The payload keeps the serialized reply
under ``reply`` and free ``meta`` (event id, title...) for admin listings.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from bot.core.messages import Recipient, Reply
from bot.core.serialize import reply_from_data, reply_to_data
from bot.delivery.priority import priority_of
from storage.repositories.outbox import NewMessage

if TYPE_CHECKING:
    from datetime import datetime

    from storage.unit_of_work import UnitOfWork

_WAKE_FLAG = "outbox_wake_registered"


def make_payload(reply: Reply, **meta: Any) -> dict[str, Any]:
    return {"reply": _reply_data(reply), "meta": meta}


_SERIALIZED: OrderedDict[int, tuple[Reply, dict[str, Any]]] = OrderedDict()
_SERIALIZED_KEPT = 64


def _reply_data(reply: Reply) -> dict[str, Any]:
    """``reply`` serialized, once for the same object: a fan-out shares one reply per language
    among thousands of rows, and serializing it again for each was most of the CPU of making
    them (docs/performance.md, *Fan-outs*). Keyed by identity, the reply kept alongside so its
    id cannot be reused while remembered; the data is shared by the rows and never changed."""
    found = _SERIALIZED.get(id(reply))
    if found is not None and found[0] is reply:
        return found[1]
    data = reply_to_data(reply)
    _SERIALIZED[id(reply)] = (reply, data)
    if len(_SERIALIZED) > _SERIALIZED_KEPT:
        _SERIALIZED.popitem(last=False)
    return data


def payload_reply(payload: dict[str, Any]) -> Reply:
    return reply_from_data(payload["reply"])


def message(
    key: str,
    kind: str,
    recipient: Recipient,
    reply: Reply,
    due_at: datetime,
    *,
    member_id: int | None = None,
    community_id: int | None = None,
    **meta: Any,
) -> NewMessage:
    """One outbox row for ``recipient``."""
    return NewMessage(
        idempotency_key=key,
        kind=kind,
        platform=recipient.platform.value,
        chat_id=recipient.chat_id,
        thread_id=recipient.thread_id,
        private=recipient.private,
        payload=make_payload(reply, **meta),
        due_at=due_at,
        member_id=member_id,
        community_id=community_id,
        priority=priority_of(kind),
    )


async def enqueue(
    uow: UnitOfWork,
    messages: Iterable[NewMessage],
    *,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> int:
    """Add rows (skipping known keys) and wake the dispatcher once the transaction commits.

    ``wake`` defaults to the database's hooks (the running dispatcher's wake-up).
    """
    added = await uow.outbox.enqueue_many(list(messages), now=now)
    if added:
        wake_after_commit(uow, uow.wake_hooks if wake is None else wake)
    return added


def wake_after_commit(uow: UnitOfWork, callbacks: Iterable[Callable[[], None]]) -> None:
    """Run ``callbacks`` after this unit of work commits (rows are then visible to claims)."""
    hooks = list(callbacks)
    session = uow.session.sync_session
    if not hooks or session.info.get(_WAKE_FLAG):
        return
    session.info[_WAKE_FLAG] = True

    def after_commit(_session: Any) -> None:
        session.info.pop(_WAKE_FLAG, None)
        for hook in hooks:
            hook()

    event.listen(session, "after_commit", after_commit, once=True)
