"""Priorities: which messages leave first when many wait.

A member waiting for an answer should not wait behind a 10,000-row announcement. Each kind of
outbox row has a priority (lower goes first); claims take the most urgent rows first, while each
chat still shows its messages in the order they were queued: a row inherits the priority of the
most urgent row queued behind it in its chat (see ``storage.repositories.outbox``), so a relay
behind a digest in the same chat pulls the digest out first.
"""

from __future__ import annotations

INTERACTIVE = 0
"""Someone is waiting: replies relayed between members, question posts, answers, thread states."""
TIMED = 1
"""Useless late: reminders (they may leave a little early, see :data:`EARLY_KINDS`)."""
NORMAL = 2
"""Notices to admins and reports; any kind not listed here."""
BULK = 3
"""Fan-outs nobody waits for to the second: announcements, digests, rounds, notices."""

KIND_PRIORITY: dict[str, int] = {
    "advice.question": INTERACTIVE,
    "advice.answer": INTERACTIVE,
    "advice.first_answer": INTERACTIVE,
    "advice.state": INTERACTIVE,
    "meet.say": INTERACTIVE,
    "meet.thanks": INTERACTIVE,
    "mentor.ask": INTERACTIVE,
    "mentor.start": INTERACTIVE,
    "reminder": TIMED,
    "announcement.report": NORMAL,
    "advice.admin_nudge": NORMAL,
    "announcement": BULK,
    "digest": BULK,
    "advice.notice": BULK,
    "meet.intro": BULK,
    "meet.left_out": BULK,
    "meet.ask": BULK,
}

EARLY_KINDS = ("reminder",)
"""Kinds a fan-out may start sending before their due time, so that the last one is on time."""


def priority_of(kind: str) -> int:
    """The priority of a kind of row (:data:`NORMAL` for a kind not listed)."""
    return KIND_PRIORITY.get(kind, NORMAL)
