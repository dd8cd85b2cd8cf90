"""Pause Python's cyclic garbage collector while a report builds many small objects.

An export of 30k profiles allocates hundreds of thousands of strings, lists and dataclasses
that all stay alive until the file is written. Each allocation burst triggers collections, and
the full ones walk every live object of the process again (the app's modules included): on a
10k-profile HTML export that was about half the time. Nothing built there is cyclic garbage,
so the collector waits until the build is over. Reference counting still frees everything
as usual; only cycles wait. Nested or overlapping pauses (two admins exporting at once) are
counted, and the collector resumes when the last one ends, unless it was off before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = 0
_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off (reference counting still frees memory)."""
    global _paused, _was_enabled
    if _paused == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1
        if _paused == 0 and _was_enabled:
            gc.enable()
