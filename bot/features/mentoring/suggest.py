"""A mentor to suggest to one member on a theme, before she has asked (the self-assessment's
advice for a weak criterion).

The candidates are those the matching would consider for a request on that theme: an active
offer in the same community naming the theme, a slot left (capacity minus the mentorships that
hold one), a shared language, no ban either way (an admin's, or ``/meet not``), never the
member herself, and only people whose profile she may see. They are ranked with the matching's
own weights (:func:`bot.features.mentoring.assign.fit`), so the name shown is the one a request
would most likely be proposed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from bot.features.mentoring.assign import Mentee, Mentor, fit
from bot.features.mentoring.service import live_mentorships, reason_data, utc_offset
from storage.models import Community, Member
from storage.models_networking import MentorBan, MentorOffer
from storage.repositories.members import MemberScope
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Suggestion:
    """The mentor to name for a theme, with the reason as ``reason_text`` reads it."""

    mentor: Member
    reason: dict[str, Any]


async def mentors_for(
    uow: UnitOfWork,
    community: Community,
    member: Member,
    themes: Iterable[str],
    now: datetime,
    scope: MemberScope,
) -> dict[str, Suggestion]:
    """Theme → the best-fitting mentor for ``member`` on it; themes nobody fits are absent.
    ``scope``: whose profile the member may see (``profile_scope``)."""
    wanted = set(themes)
    rows = (
        await uow.session.execute(
            select(MentorOffer, Member)
            .join(Member, Member.id == MentorOffer.member_id)
            .where(
                MentorOffer.community_id == community.id,
                MentorOffer.active.is_(True),
                MentorOffer.member_id != member.id,
            )
        )
    ).all()
    offers = [(o, m) for o, m in rows if wanted & set(o.themes or ())]
    if not offers:
        return {}
    taken = Counter(m.mentor_id for m in await live_mentorships(uow, community.id))
    barred = await _barred(uow, member.id)
    mentee_offset = utc_offset(member, community, now)
    found: dict[str, Suggestion] = {}
    for theme in sorted(wanted):
        mentee = Mentee(
            0,
            member.id,
            frozenset({theme}),
            frozenset(member.languages or ()),
            member.region,
            mentee_offset,
        )
        ranked = []
        for offer, person in offers:
            if theme not in (offer.themes or ()) or person.id in barred:
                continue
            if offer.capacity - taken[person.id] <= 0:
                continue
            mentor = Mentor(
                person.id,
                frozenset(offer.themes),
                frozenset(person.languages or ()),
                offer.capacity,
                person.region,
                utc_offset(person, community, now),
            )
            scored = fit(mentor, mentee)
            if scored is not None:
                ranked.append((-scored[0], person.id, person, scored[1]))
        for _weight, _id, person, reason in sorted(ranked, key=lambda r: (r[0], r[1])):
            if await uow.members.in_scope(person.id, scope) is not None:
                found[theme] = Suggestion(person, reason_data(reason))
                break
    return found


async def _barred(uow: UnitOfWork, member_id: int) -> set[int]:
    """The members never to pair with this one: admins' bans and ``/meet not``, either way."""
    bans = (
        await uow.session.execute(
            select(MentorBan.mentor_id, MentorBan.mentee_id).where(
                or_(MentorBan.mentor_id == member_id, MentorBan.mentee_id == member_id)
            )
        )
    ).all()
    pairs = [tuple(b) for b in bans] + list(await uow.meet.exclusions([member_id]))
    return {other for pair in pairs for other in pair if other != member_id}
