"""Which migrations a database still lacks (``champions-bot doctor``, ``db copy``)."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.database import Database, alembic_config


class UnknownRevisionError(Exception):
    """The database was migrated by a newer (or another) version of the bot."""


def _pending(connection: Connection) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    current = set(MigrationContext.configure(connection).get_current_heads())
    known = {revision.revision for revision in script.walk_revisions()}
    if current - known:
        raise UnknownRevisionError(", ".join(sorted(current - known)))
    applied: set[str] = set()
    for head in current:
        applied.update(r.revision for r in script.iterate_revisions(head, "base"))
    upgrade_order = reversed(list(script.iterate_revisions("heads", "base")))
    return [r.revision for r in upgrade_order if r.revision not in applied]


async def pending_migrations(database: Database) -> list[str]:
    """The revisions ``db upgrade`` would apply, oldest first (all of them on an empty
    database); raises :class:`UnknownRevisionError` for a revision this code does not know."""
    async with database.engine.connect() as connection:
        return await connection.run_sync(_pending)
