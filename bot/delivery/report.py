"""What one dispatcher pass did: the counts the console, the bench and the tests read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class DispatchReport:
    """What one pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    missed: int = 0
    recovered: int = 0
    rate_limited: int = 0
    maybe_delivered: int = 0
    """Sends answered by a timeout after the request was written (the chat may hold them)."""
    found_in_chat: int = 0
    """Rows that may have arrived, found in their chat and recorded sent without a repeat."""
    unconfirmed: int = 0
    """Rows that may have arrived, left without a repeat where the chat cannot be checked."""
    delays: list[float] = field(default_factory=list)
    """Seconds between each sent row's due time and its send."""
    by_chat: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """The same outcomes split by where they went: ``(outcome, platform, chat kind)``, with
    outcome ``sent``, ``rate_limited``, ``retried`` or ``failed`` and chat kind ``private`` or
    ``group`` (the metrics' labels)."""

    def count(self, outcome: str, platform: str, private: bool) -> None:
        """One more ``outcome`` on ``platform`` (the totals above are counted by the caller)."""
        self.by_chat[(outcome, platform, "private" if private else "group")] += 1
