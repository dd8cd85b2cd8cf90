"""Faults tests inject into REST requests: rate limits, outages, passing errors, slow answers.

:meth:`Faults.rate_limit` makes the next matching request get a 429, :meth:`Faults.fail` makes
matching requests get an error status (a platform outage, a missing permission).

Delivery faults: :meth:`Faults.fail_next` (the next few matching requests get an error status),
:meth:`Faults.slow` (the next few are handled, then answered late: the message is in the chat
while the bot waits), :attr:`FakeDiscord.jitter` (random latency on every request, applied by
:mod:`.rest`).
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from tests.fakes.discord.base import FakeDiscordBase


class Faults(FakeDiscordBase):
    """The faults tests ask for, and the check each request goes through."""

    def rate_limit(self, method: str, path_pattern: str, retry_after: float = 0.05) -> None:
        """The next ``method`` request whose path matches ``path_pattern`` gets a 429."""
        self._rate_limits.append((method, path_pattern, retry_after))

    def fail(self, method: str, path_pattern: str, status: int) -> None:
        """Every ``method`` request whose path matches gets ``status`` until :meth:`recover`.

        403 answers "Missing Permissions" (code 50013), other statuses a server error.
        Use 503 for an outage: discord.py retries 500/502/504 itself, sleeping seconds.
        """
        self._failures.append((method, path_pattern, status))

    def recover(self) -> None:
        self._failures.clear()

    def fail_next(
        self, method: str, path_pattern: str, status: int, count: int = 1, chance: float = 1.0
    ) -> None:
        """The next ``count`` matching requests get ``status`` (a passing server error); with
        ``chance``, each matching request meets it with that probability (seeded)."""
        self._transient.append([method, path_pattern, status, count, chance])

    def rate_limit_randomly(
        self, method: str, path_pattern: str, chance: float, count: int, retry_after: float = 0.05
    ) -> None:
        """Up to ``count`` matching requests, each with probability ``chance``, get a 429."""
        self._random_limits.append([method, path_pattern, retry_after, count, chance])

    def slow(self, method: str, path_pattern: str, answer_after: float, count: int = 1) -> None:
        """The next ``count`` matching requests are handled at once and answered only after
        ``answer_after`` seconds (a client that gives up earlier does not know it arrived)."""
        self._slow.append([method, path_pattern, answer_after, count])

    def slow_left(self) -> int:
        """Slow answers still to give (see :meth:`slow`)."""
        return sum(entry[3] for entry in self._slow)

    def _take(self, entries: list[list[Any]], method: str, path: str) -> Any:
        """The value of the first matching entry with uses left (one use taken), or None."""
        for entry in entries:
            if entry[0] == method and re.search(entry[1], path) and entry[3] > 0:
                if len(entry) > 4 and self._random.random() >= entry[4]:
                    continue
                entry[3] -= 1
                return entry[2]
        return None

    def _failure(self, method: str, path: str) -> web.Response | None:
        for m, pattern, status in self._failures:
            if m == method and re.search(pattern, path):
                self.failed.append(f"{method} {path}")
                if status == 403:
                    return self._json({"code": 50013, "message": "Missing Permissions"}, 403)
                return self._json({"code": 0, "message": "Service Unavailable"}, status)
        return None
