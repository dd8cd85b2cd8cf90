"""How big the load tests run: the smallest size that still takes every path by default, the
size they were written with when ``TEST_SIZE=full``.

A thousand messages through a real adapter cost about 15 s of CPU each while 200 meet the
same faults (as many 5xx, 429s and retries: the fault chances scale with the size) and keep
the same assertions; ``make test`` must stay under ten minutes on two cores
(docs/testing.md). ``TEST_SIZE=full`` is for a long run, as ``FUZZ_EXAMPLES`` is for the
fuzzers.
"""

from __future__ import annotations

import os

FULL = os.environ.get("TEST_SIZE", "") == "full"


def size(quick: int, full: int) -> int:
    """``quick`` in ``make test``, ``full`` when ``TEST_SIZE=full``."""
    return full if FULL else quick
