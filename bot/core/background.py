"""Logging a failure of background work (index warm-ups, snapshots) in proportion.

A database outage is already reported once by the app's health (one line per change, and the
decision to give up); background work that meets it says so in one line too. Anything else
is a bug, logged with its traceback.
"""

from __future__ import annotations

import logging

from storage.errors import StorageUnavailable


def log_failure(log: logging.Logger, what: str, error: BaseException) -> None:
    """``could not <what>``: one line for an outage, the traceback for anything else."""
    if isinstance(error, StorageUnavailable):
        log.warning("could not %s: storage unavailable (%s)", what, error)
    else:
        log.warning("could not %s", what, exc_info=error)
