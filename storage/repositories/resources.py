"""The Knowledge Hub catalogue: resources, upserted by their identity key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resource
from storage.models_hub import HubChange, HubIndexSnapshot

EDITABLE_FIELDS = (
    "title",
    "summary",
    "url",
    "type",
    "themes",
    "regions",
    "languages",
    "publisher",
    "year",
    "source",
)
"""The columns an import or an admin may set; identity and times are managed here."""


class ResourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, resource_id: int) -> Resource | None:
        return await self.session.get(Resource, resource_id)

    async def by_key(self, dedup_key: str) -> Resource | None:
        statement = select(Resource).where(Resource.dedup_key == dedup_key)
        return (await self.session.scalars(statement)).first()

    async def by_keys(self, keys: Sequence[str]) -> dict[str, Resource]:
        """Many resources at once, by identity key (imports look up a batch per query)."""
        found: dict[str, Resource] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            statement = select(Resource).where(Resource.dedup_key.in_(chunk))
            for resource in (await self.session.scalars(statement)).all():
                found[resource.dedup_key] = resource
        return found

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count(Resource.id))) or 0)

    async def all(self) -> list[Resource]:
        return list((await self.session.scalars(select(Resource).order_by(Resource.id))).all())

    async def added_since(self, moment: datetime) -> list[Resource]:
        statement = select(Resource).where(Resource.added_at >= moment).order_by(Resource.id)
        return list((await self.session.scalars(statement)).all())

    async def add(
        self,
        *,
        dedup_key: str,
        values: dict[str, Any],
        now: datetime,
        community_id: int | None = None,
    ) -> Resource:
        """A new resource; ``community_id`` is the community whose admin added it (``None``
        for catalogue imports: the deployment's own)."""
        resource = Resource(
            dedup_key=dedup_key, community_id=community_id, added_at=now, updated_at=now
        )
        for name in EDITABLE_FIELDS:
            if name in values:
                setattr(resource, name, values[name])
        self.session.add(resource)
        await self.session.flush()  # the flush records the change (storage/models_hub.py)
        return resource

    @staticmethod
    def changes(resource: Resource, values: dict[str, Any]) -> dict[str, Any]:
        """The fields of ``values`` that differ from what ``resource`` holds."""
        return {
            name: value
            for name, value in values.items()
            if name in EDITABLE_FIELDS and getattr(resource, name) != value
        }

    async def update(
        self, resource: Resource, values: dict[str, Any], *, now: datetime, dedup_key: str
    ) -> bool:
        """Apply ``values``; True when something changed (then ``updated_at`` moves)."""
        changed = self.changes(resource, values)
        if not changed and resource.dedup_key == dedup_key:
            return False
        for name, value in changed.items():
            setattr(resource, name, value)
        resource.dedup_key = dedup_key
        resource.updated_at = now
        await self.session.flush()  # the flush records the change (storage/models_hub.py)
        return True

    async def remove(self, resource_id: int, now: datetime | None = None) -> bool:
        result = await self.session.execute(delete(Resource).where(Resource.id == resource_id))
        removed = bool(getattr(result, "rowcount", 0))
        if removed:
            await self.changed(resource_id, now or datetime.now(UTC))
        return removed

    # the catalogue's version (issue 17) ------------------------------------------------

    async def changed(self, resource_id: int, now: datetime) -> None:
        """Record that a resource changed (added, edited, retired, back, deleted): bumps the
        catalogue's version in the caller's transaction, so the index follows exactly."""
        self.session.add(HubChange(resource_id=resource_id, changed_at=now))
        await self.session.flush()

    async def version(self) -> int:
        """The catalogue's version: the newest change's number (one index lookup)."""
        return int(await self.session.scalar(select(func.max(HubChange.id))) or 0)

    async def change_rows(
        self, after: int, limit: int, ids: Sequence[int] = ()
    ) -> list[tuple[int, int]] | None:
        """(change number, resource id) after version ``after`` and those numbered ``ids``
        (skipped earlier, see :class:`bot.core.changelog.ChangeCursor`), oldest first; None
        when more than ``limit`` changed (then a full rebuild is cheaper)."""
        condition = HubChange.id > after
        if ids:
            condition = or_(condition, HubChange.id.in_(list(ids)))
        statement = (
            select(HubChange.id, HubChange.resource_id)
            .where(condition)
            .order_by(HubChange.id)
            .limit(limit + 1)
        )
        rows = (await self.session.execute(statement)).all()
        if len(rows) > limit:
            return None
        return [(int(number), int(resource)) for number, resource in rows]

    async def by_ids(self, ids: Sequence[int]) -> list[Resource]:
        found: list[Resource] = []
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            statement = select(Resource).where(Resource.id.in_(chunk))
            found += (await self.session.scalars(statement)).all()
        return found

    async def snapshot_version(self, fmt: int) -> int | None:
        """The version of the newest persisted index of layout ``fmt``, if any."""
        statement = (
            select(HubIndexSnapshot.version)
            .where(HubIndexSnapshot.format == fmt)
            .order_by(HubIndexSnapshot.version.desc())
            .limit(1)
        )
        found = await self.session.scalar(statement)
        return None if found is None else int(found)

    async def snapshot_part(self, version: int, fmt: int, part: int) -> bytes | None:
        """Slice ``part`` of the persisted index at ``version`` (None after the last)."""
        statement = select(HubIndexSnapshot.data).where(
            HubIndexSnapshot.version == version,
            HubIndexSnapshot.format == fmt,
            HubIndexSnapshot.part == part,
        )
        found = await self.session.scalar(statement)
        return None if found is None else bytes(found)

    async def snapshot(self, fmt: int) -> tuple[int, bytes] | None:
        """The persisted index (version, data) of layout ``fmt``, whole (tools and tests;
        the service reads it part by part)."""
        version = await self.snapshot_version(fmt)
        if version is None:
            return None
        parts: list[bytes] = []
        while (found := await self.snapshot_part(version, fmt, len(parts))) is not None:
            parts.append(found)
        return version, b"".join(parts)

    async def save_snapshot(
        self, version: int, fmt: int, data: bytes | Sequence[bytes], now: datetime
    ) -> None:
        """Keep ``data`` (whole, or its slices in order) as the index at ``version``,
        replacing older snapshots."""
        await self.session.execute(
            delete(HubIndexSnapshot).where(HubIndexSnapshot.version <= version)
        )
        parts = [data] if isinstance(data, bytes) else list(data)
        for number, part in enumerate(parts):
            self.session.add(
                HubIndexSnapshot(version=version, format=fmt, part=number, data=part, built_at=now)
            )
        await self.session.flush()
