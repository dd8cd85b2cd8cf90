"""What became of one request, told to whoever watches the router (metrics, the request log).

The router reports every request once, after its transaction ended, as a :class:`Handled`
record: the platform, the declared command it ran (never what the person typed), the outcome
and how long it took. Observers are plain callables registered on the router, so the core
knows nothing of Prometheus or of log formats (``bot.ops`` provides both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    OK = "ok"
    """Answered (an unknown command's "did you mean" is an answer too)."""
    REFUSED = "refused"
    """Bad input or not allowed: a polite refusal, the transaction rolled back."""
    FAILED = "failed"
    """A bug: rolled back, apologised, logged with its traceback."""
    HELD = "held"
    """Storage was unavailable: nothing done; the adapter keeps the request to try again (an
    inline lookup just found nothing)."""
    DUPLICATE = "duplicate"
    """A platform delivered the same update again: ignored."""


TEXT = "(text)"
"""The command label of plain text (a conversation step or a listener)."""
ANSWER = "(answer)"
"""The command label of a button that answers the question the bot asked."""
INLINE = "(inline)"
UNKNOWN = "(unknown)"
"""The command label of a command that no feature declared: what was typed is not kept."""


@dataclass(frozen=True)
class Handled:
    """One request, as metrics and logs may see it: no user text, no ids of people."""

    platform: str
    kind: str
    command: str
    """The declared command (``"webinar add"``) or one of the labels above."""
    outcome: Outcome
    seconds: float


RequestObserver = Callable[[Handled], None]
