"""Finding what the database holds about one person, for ``/mydata`` and ``/forget``.

Every table that points at a member does so through a column (``member_id``, ``author_id``,
``asker_id``...) or, in a few places, inside JSON (an audit entry's ``member_id``, an event's
``speakers``). Free text (a relayed answer, a queued card) names people too: :func:`mentions_any`
finds rows whose text may contain a name, as a pre-filter the caller confirms in Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Text, cast, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from storage.models import AuditEntry, Base, Event

M = TypeVar("M", bound=Base)


def stored_forms(fragment: str) -> set[str]:
    """How ``fragment`` may appear in a column's stored text, lowercased: as typed, and as
    JSON writes it inside a JSON column (non-ASCII letters escaped, ``"`` and ``\\`` too)."""
    forms = {fragment.lower(), json.dumps(fragment)[1:-1].lower()}
    forms.add(json.dumps(fragment.lower())[1:-1])
    return {form for form in forms if form}


def mentions_any(column: Any, fragments: Iterable[str]) -> ColumnElement[bool]:
    """``column`` (a text or JSON column) may contain one of ``fragments``, ignoring case.

    A pre-filter that works on SQLite and PostgreSQL alike (a JSON column is read as its stored
    text): it may keep a row that only looks alike, never drops one that matches.
    """
    text = func.lower(cast(column, Text))
    clauses = [
        text.contains(form, autoescape=True)
        for fragment in fragments
        for form in stored_forms(fragment)
    ]
    return or_(*clauses) if clauses else false()


def audit_subjects(detail: Any) -> set[int]:
    """The members an audit entry is about: ``member_id`` and the list ``member_ids``."""
    if not isinstance(detail, dict):
        return set()
    found = {detail.get("member_id")}
    many = detail.get("member_ids")
    if isinstance(many, list):
        found.update(many)
    return {value for value in found if isinstance(value, int)}


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rows_of(self, column: InstrumentedAttribute[Any], member_id: int) -> list[Any]:
        """The rows whose ``column`` (e.g. ``Rsvp.member_id``) points at the member."""
        entity = column.class_
        statement = select(entity).where(column == member_id)
        primary = [c for c in entity.__table__.primary_key.columns]
        return list((await self.session.scalars(statement.order_by(*primary))).all())

    async def rows_mentioning(
        self, model: type[M], columns: Sequence[str], fragments: Iterable[str]
    ) -> list[M]:
        """Rows of ``model`` whose ``columns`` may contain one of ``fragments`` (pre-filter)."""
        wanted = list(fragments)
        condition = or_(*(mentions_any(getattr(model, name), wanted) for name in columns))
        return list((await self.session.scalars(select(model).where(condition))).all())

    async def audit_about(self, member_id: int) -> list[AuditEntry]:
        """Audit entries whose subject is the member (``detail.member_id``, or one of
        ``detail.member_ids``), by anyone."""
        statement = (
            select(AuditEntry)
            .where(
                or_(
                    AuditEntry.detail["member_id"].as_integer() == member_id,
                    mentions_any(AuditEntry.detail["member_ids"], [str(member_id)]),
                )
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        entries = (await self.session.scalars(statement)).all()
        return [entry for entry in entries if member_id in audit_subjects(entry.detail)]

    async def events_with_speaker(self, member_id: int) -> list[Event]:
        """Events that list the member among their speakers (a JSON list of member ids)."""
        statement = select(Event).where(mentions_any(Event.speakers, [str(member_id)]))
        events = await self.session.scalars(statement.order_by(Event.id))
        return [event for event in events if member_id in (event.speakers or [])]
