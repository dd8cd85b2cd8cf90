"""Storage's own errors, so callers above storage never catch a driver's or SQLAlchemy's.

This module imports nothing on purpose: the core (``bot.core.router``) catches these errors, and
the import contracts in ``pyproject.toml`` keep SQLAlchemy out of the core. The translation from
SQLAlchemy's ``IntegrityError`` lives in :mod:`storage.integrity`, next to the database code.
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
