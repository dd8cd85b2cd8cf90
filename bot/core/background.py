"""Logging a failure of background work (index warm-ups, snapshots) in proportion.

A database outage is already reported by the app's health, at warning level and above (one
line per change, and the decision to give up): background work that meets it is one more
consequence of the same outage, said in one line at info level, shown when the log asks for
``info``. Anything else is a bug, logged as a warning with its traceback.
"""

from __future__ import annotations

import logging

from storage.errors import StorageUnavailable


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """``could not <what>``: one info line for an outage, the traceback for anything else."""
    if isinstance(error, StorageUnavailable):
        log.info("could not %s: storage unavailable (%s)", what, error)
    else:
        log.warning("could not %s", what, exc_info=error)
