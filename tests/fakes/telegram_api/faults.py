"""Faults for the fault tests: answer ``429`` with ``retry_after``, ``500``, or answer slowly
(before handling the call, ``delay``; or after handling it, ``answer_delay``: the message is in
the chat while the bot waits), and random latency on every call (:attr:`FakeTelegram.jitter`).
The server (:mod:`.server`) applies them to every call before its checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakes.telegram_api.base import FakeTelegramBase


@dataclass
class Fault:
    """Answer the next ``count`` calls of ``method`` (``"*"``: any) this way."""

    method: str
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0
    count: int = 1
    answer_delay: float = 0.0
    """Handle the call (the message reaches the chat), then wait this long before answering."""
    chance: float = 1.0
    """Each matching call meets the fault with this probability (seeded), while ``count`` lasts."""


class TelegramFaults(FakeTelegramBase):
    """Which fault, if any, the next call of a method meets (seeded, for repeatable tests)."""

    def _fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method in (method, "*") and fault.count > 0:
                if fault.chance < 1.0 and self._random.random() >= fault.chance:
                    continue
                fault.count -= 1
                return fault
        return None
