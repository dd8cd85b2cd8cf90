"""What every part of the outbox repository holds: the session and the database's dialect.

The repository is cut by job (queueing, claims, outcomes, reading, personal data), each part a
mixin on this base, so :class:`~storage.repositories.outbox.OutboxRepository` stays one class
with one constructor, the one callers get as ``uow.outbox``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class OutboxBase:
    """The session the outbox is read and written through, and its dialect (``postgresql``
    or ``sqlite``: claims and notifications differ between them)."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
