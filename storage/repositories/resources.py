"""The Knowledge Hub catalogue: resources, upserted by their identity key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Resource

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
        await self.session.flush()
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
        await self.session.flush()
        return True

    async def remove(self, resource_id: int) -> bool:
        result = await self.session.execute(delete(Resource).where(Resource.id == resource_id))
        return bool(getattr(result, "rowcount", 0))
