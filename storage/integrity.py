"""Turns SQLAlchemy's ``IntegrityError`` into storage's own errors (:mod:`storage.errors`).

The unit of work (its flush and its commit) and the repositories that expect a race
(:class:`storage.repositories.updates.UpdateLog`) translate here, so the layers above storage
tell a duplicate key from any other broken constraint without knowing the database driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from storage.errors import ConstraintViolation, DuplicateKeyError

PG_UNIQUE_VIOLATION = "23505"
"""PostgreSQL's SQLSTATE for a unique (or primary key) violation."""
SQLITE_DUPLICATE_CODES = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def is_duplicate_key(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique or primary key violation (PostgreSQL or SQLite)."""
    driver_error = error.orig
    sqlstate = getattr(driver_error, "sqlstate", None) or getattr(driver_error, "pgcode", None)
    if sqlstate is not None:
        return bool(sqlstate == PG_UNIQUE_VIOLATION)
    if getattr(driver_error, "sqlite_errorname", None) in SQLITE_DUPLICATE_CODES:
        return True
    return "UNIQUE constraint failed" in str(driver_error)


def storage_error(error: IntegrityError) -> ConstraintViolation:
    """Storage's error for ``error``; the caller raises it ``from error``."""
    kind = DuplicateKeyError if is_duplicate_key(error) else ConstraintViolation
    return kind(str(error.orig))


@contextmanager
def constraint_errors() -> Iterator[None]:
    """Raise storage's error in place of any ``IntegrityError`` raised inside the block."""
    try:
        yield
    except IntegrityError as error:
        raise storage_error(error) from error
