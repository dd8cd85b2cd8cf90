"""The hub index's bookkeeping (issue 17): the catalogue's change log and the persisted index.

``hub_changes`` is the catalogue's version counter: every change to a resource (added, edited,
retired, brought back, deleted) appends one row in the same transaction, so the catalogue's
version is ``max(id)`` (an index lookup, not ``count(*)``) and a process holding the index at
version *v* updates it by re-reading only the resources named by the rows after *v*.

``hub_index_snapshots`` holds the built index, serialized, with the version it reflects, so a
restart loads it (well under a second at 100k) instead of rebuilding (tens of seconds).
Neither table holds personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, LargeBinary, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.models_resources import Resource


class HubChange(Base):
    """One change to one resource; ``id`` is the catalogue's version after it."""

    __tablename__ = "hub_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(Integer)
    """Not a foreign key: the row outlives a deleted resource (the index must drop it)."""
    changed_at: Mapped[datetime]


class HubIndexSnapshot(Base):
    """One slice of the serialized index at ``version`` (the newest kept; older ones are
    replaced): a restart reads the slices one at a time, never the whole blob at once."""

    __tablename__ = "hub_index_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    format: Mapped[int] = mapped_column(Integer)
    """The layout of ``data``; a snapshot of another format is ignored (rebuilt)."""
    built_at: Mapped[datetime]
    part: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The slice's number: a snapshot is ``data`` of its parts 0, 1, 2... joined."""
    data: Mapped[bytes] = mapped_column(LargeBinary)


def _record(_mapper: Any, connection: Any, target: Resource) -> None:
    """Any ORM insert or update of a resource (through the repository or not) bumps the
    catalogue's version in the same flush, so no path can change the catalogue unseen.
    Bulk ``DELETE`` statements bypass this: ``ResourceRepository.remove`` records its own."""
    connection.execute(
        insert(HubChange).values(resource_id=target.id, changed_at=target.updated_at)
    )


event.listen(Resource, "after_insert", _record)
event.listen(Resource, "after_update", _record)
