"""Events (webinars, trainings, workshops), RSVPs and feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Event, EventFeedback, Member, Rsvp
from storage.repositories import recipients
from storage.repositories.recipients import Attendee
from storage.statuses import EventStatus


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, event: Event) -> Event:
        self.session.add(event)
        await self.session.flush()
        return event

    async def get(self, event_id: int) -> Event | None:
        return await self.session.get(Event, event_id)

    async def all(self) -> list[Event]:
        return list((await self.session.scalars(select(Event).order_by(Event.id))).all())

    async def of_community(self, community_id: int) -> list[Event]:
        """Every event of the community, cancelled ones too (calendar feeds show both)."""
        statement = (
            select(Event).where(Event.community_id == community_id).order_by(Event.starts_at)
        )
        return list((await self.session.scalars(statement)).all())

    async def scheduled(self) -> list[Event]:
        statement = (
            select(Event).where(Event.status == EventStatus.SCHEDULED).order_by(Event.starts_at)
        )
        return list((await self.session.scalars(statement)).all())

    # RSVPs -----------------------------------------------------------------------------

    async def rsvp(self, event_id: int, member_id: int) -> Rsvp | None:
        statement = select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.member_id == member_id)
        return (await self.session.scalars(statement)).first()

    async def add_rsvp(
        self, event_id: int, member_id: int, *, platform: str, now: datetime
    ) -> tuple[Rsvp, bool]:
        """The member's RSVP, created if needed; the flag says whether it is new."""
        found = await self.rsvp(event_id, member_id)
        if found is not None:
            return found, False
        rsvp = Rsvp(event_id=event_id, member_id=member_id, platform=platform, created_at=now)
        self.session.add(rsvp)
        await self.session.flush()
        return rsvp, True

    async def remove_rsvp(self, event_id: int, member_id: int) -> bool:
        result = await self.session.execute(
            delete(Rsvp).where(Rsvp.event_id == event_id, Rsvp.member_id == member_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def attendees(self, event_id: int) -> list[tuple[Rsvp, Member]]:
        statement = (
            select(Rsvp, Member)
            .join(Member, Member.id == Rsvp.member_id)
            .where(Rsvp.event_id == event_id)
            .order_by(Rsvp.id)
        )
        return [(rsvp, member) for rsvp, member in (await self.session.execute(statement)).all()]

    async def attending(self, event_id: int, member_id: int | None = None) -> list[Attendee]:
        """The attendees who have an account (only ``member_id``'s row when given), as plain
        rows in RSVP order: one statement whatever their number (reminders and notices need
        no RSVP or member objects)."""
        statement = recipients.attending(event_id, member_id)
        return recipients.as_attendees((await self.session.execute(statement)).all())

    async def joined_by(self, member_id: int) -> list[Event]:
        statement = (
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(Rsvp.member_id == member_id)
            .order_by(Event.starts_at)
        )
        return list((await self.session.scalars(statement)).all())

    async def rsvp_event_ids(self, member_id: int) -> set[int]:
        statement = select(Rsvp.event_id).where(Rsvp.member_id == member_id)
        return set((await self.session.scalars(statement)).all())

    # feedback --------------------------------------------------------------------------

    async def feedback_of(self, event_id: int, member_id: int) -> EventFeedback | None:
        statement = select(EventFeedback).where(
            EventFeedback.event_id == event_id, EventFeedback.member_id == member_id
        )
        return (await self.session.scalars(statement)).first()

    async def save_feedback(
        self,
        event_id: int,
        member_id: int,
        *,
        now: datetime,
        rating: int | None = None,
        comment: str | None = None,
    ) -> EventFeedback:
        feedback = await self.feedback_of(event_id, member_id)
        if feedback is None:
            feedback = EventFeedback(event_id=event_id, member_id=member_id)
            self.session.add(feedback)
        if rating is not None:
            feedback.rating = rating
        if comment is not None:
            feedback.comment = comment
        feedback.updated_at = now
        await self.session.flush()
        return feedback

    async def feedback(self, event_id: int) -> list[EventFeedback]:
        statement = (
            select(EventFeedback)
            .where(EventFeedback.event_id == event_id)
            .order_by(EventFeedback.updated_at)
        )
        return list((await self.session.scalars(statement)).all())
