"""What every part of the networking repository holds: the session.

The repository is cut by job (participants, "not with", rounds, figures), each part a mixin on
this base, so :class:`~storage.repositories.networking.MeetRepository` stays one class with one
constructor, the one callers get as ``uow.meet``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class MeetBase:
    """The session the pairing tables are read and written through."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
