"""Where a follower of a change log stands: the newest number applied, and the ones not seen yet.

The hub index (``hub_changes``) and the ``/search_advice`` index (``advice_changes``) follow a
log whose rows are numbered by the database (a sequence on PostgreSQL, the rowid on SQLite) and
read "after the last number seen". On PostgreSQL a transaction takes its number when it writes
the row, not when it commits: number 41 may become visible after 42 was read. A follower that
only remembered "42" would never apply 41. A :class:`ChangeCursor` also remembers the numbers it
skipped and has them looked for again, by number, at each catch-up, until they appear or
:data:`GAP_SECONDS` pass (a rolled-back transaction's number never appears). It holds no SQL:
each follower asks its own repository for ``number > version or number in pending()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

GAP_SECONDS = 60.0
"""How long a skipped number is looked for: longer than a request's transaction lasts."""
MOST_GAPS = 200
"""At most this many skipped numbers are looked for (the newest): a burst of rollbacks cannot
make every catch-up list thousands of numbers."""
GAP_WINDOW = 64
"""Numbers just below a fresh build's version whose rows are listed with the build, so that
the ones not committed yet are looked for afterwards."""

Clock = Callable[[], float]


class ChangeCursor:
    """The version a follower reflects and the skipped numbers still awaited (with deadlines)."""

    def __init__(self, version: int, clock: Clock = time.monotonic) -> None:
        self.version = version
        self._clock = clock
        self._gaps: dict[int, float] = {}
        """Skipped number → when to stop looking for it (the clock's seconds)."""

    @classmethod
    def built(
        cls, version: int, window: Iterable[int] | None, clock: Clock = time.monotonic
    ) -> ChangeCursor:
        """The cursor of an index built from rows read after ``version`` was read: the
        numbers of :func:`window_start` ``(version)`` onwards that were listed with the build
        are seen; the others up to ``version`` are awaited. ``window`` None (too many rows to
        list): nothing is awaited."""
        if window is None:
            return cls(version, clock)
        cursor = cls(window_start(version), clock)
        cursor.advance([number for number in window if number <= version], newest=version)
        return cursor

    def pending(self) -> list[int]:
        """The skipped numbers still looked for, oldest first (expired ones are dropped)."""
        now = self._clock()
        self._gaps = {number: until for number, until in self._gaps.items() if until > now}
        return sorted(self._gaps)

    def settled(self, current: int) -> bool:
        """Nothing to read: the log's newest number is applied and no skipped one is awaited."""
        return self.version >= current and not self.pending()

    def advance(self, seen: Iterable[int], newest: int | None = None) -> None:
        """Record a catch-up: ``seen`` are the numbers read (after the version, or awaited);
        the version moves to the newest of them (or ``newest``), and every number skipped on
        the way is awaited for :data:`GAP_SECONDS`."""
        seen = set(seen)
        top = max([self.version, *seen, newest or 0])
        for number in seen:
            self._gaps.pop(number, None)
        until = self._clock() + GAP_SECONDS
        missing = [n for n in range(self.version + 1, top + 1) if n not in seen][-MOST_GAPS:]
        for number in missing:
            self._gaps[number] = until
        if len(self._gaps) > MOST_GAPS:
            for number in sorted(self._gaps)[:-MOST_GAPS]:
                del self._gaps[number]
        self.version = top

    def inherit(self, older: ChangeCursor) -> None:
        """Keep awaiting what ``older`` (the cursor of the index this one replaces) awaited:
        a number below this build's window may still commit."""
        for number in older.pending():
            self._gaps.setdefault(number, older._gaps[number])
        self.pending()


def window_start(version: int) -> int:
    """Where the numbers listed with a build at ``version`` start (exclusive)."""
    return max(version - GAP_WINDOW, 0)
