"""Storage's own errors, so callers above storage never catch a driver's or SQLAlchemy's.

This module imports nothing on purpose: the core (``bot.core.router``) catches these errors, and
the import contracts in ``pyproject.toml`` keep SQLAlchemy out of the core. The translation from
SQLAlchemy's ``IntegrityError`` lives in :mod:`storage.integrity`, the translation of connection
and driver errors in :mod:`storage.availability`, both next to the database code.
"""

from __future__ import annotations


class ConstraintViolation(Exception):
    """A write broke a rule the schema enforces: a unique key, a foreign key, a NOT NULL column.

    Raised out of a unit of work (its flush or its commit) in place of SQLAlchemy's
    ``IntegrityError``, which stays available as ``__cause__``.
    """


class DuplicateKeyError(ConstraintViolation):
    """A unique or primary key already holds this value.

    In a running bot this is nearly always a race, not a bug: two deliveries of one update, or
    two first messages of one person handled at once, both tried to write the same row. Whoever
    retries finds the row the other one committed.
    """


class AlreadyHandled(Exception):
    """The platform update was recorded as handled before: a redelivery, or a twin delivery
    that another task or process committed first. The request must answer nothing."""


class StorageUnavailable(Exception):
    """The database cannot be used right now: unreachable, refusing connections, missing, its
    tables gone, or locked past the busy timeout.

    Nothing the caller did was wrong and nothing was written: the same work may succeed once
    storage is back. The router lets it out so that the adapters keep the update (Telegram is
    not told it was handled; Discord's interaction is deferred) and retry it. ``reason`` is the
    driver's own words on one line (no password is ever in them), ``hint`` what to check; the
    driver's error stays available as ``__cause__``.
    """

    def __init__(self, reason: str, *, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
