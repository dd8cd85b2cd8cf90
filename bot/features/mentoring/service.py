"""Mentoring: offers, requests, proposals (with their reason), the mentor's answer, the states.

A mentorship is ``proposed`` (computed, waiting for the admins), then asked (``asked_at``: the
mentor has until ``respond_by`` to accept), ``active`` once accepted, and ``completed`` or
``cancelled``. A decline, or silence past the deadline, cancels it and asks the next choice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.errors import UserFacingError
from bot.core.i18n import Translator
from bot.core.messages import Button, Reply
from bot.core.richtext import bold, doc, line
from bot.core.vocab import THEMES, label
from bot.delivery import outbox
from bot.features.hub.text import words
from bot.features.mentoring import lifecycle
from bot.features.mentoring.assign import Mentee, Mentor, Reason, assign, reason_for
from bot.features.networking.cards import member_zone
from bot.features.profiles.lookup import private_recipient
from storage.models import Community, Member
from storage.models_networking import MentorBan, MentorOffer, MentorRequest, Mentorship
from storage.statuses import MentorshipStatus
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    pass


RESPOND_WITHIN = timedelta(days=7)
LIVE = (MentorshipStatus.PROPOSED, MentorshipStatus.ACTIVE)


def themes_in(text: str) -> list[str]:
    """The taxonomy themes a free text names, in any of the four languages."""
    from bot.features.hub.index import SearchIndex

    return [code for code in SearchIndex.concepts(words(text), "theme") if code in THEME_CODES]


THEME_CODES = {choice.value for choice in THEMES}


def utc_offset(member: Member, community: Community, now: datetime) -> int:
    """The member's offset from UTC now, in minutes (their zone, else the community's)."""
    offset = now.astimezone(ZoneInfo(member_zone(member, community.timezone))).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def reason_text(reason: dict[str, Any], _: Translator) -> str:
    """The reason of a proposal, e.g. "both speak French; strong on legal quotas; 3 hours of
    shared daytime", in the reader's language."""
    parts = []
    if reason.get("pinned"):
        parts.append(_.gettext("chosen by the admins"))
    if reason.get("language"):
        language = _.language_name(str(reason["language"]))
        parts.append(_.gettext("both speak {language}", language=language))
    themes = [str(t) for t in reason.get("themes") or []]
    if themes:
        names = _.format_list([_.gettext(label(THEMES, t) or t) for t in themes])
        parts.append(_.gettext("strong on {themes}", themes=names))
    hours = int(reason.get("shared_hours", 0) or 0)
    parts.append(
        _.ngettext("{count} hour of shared daytime", "{count} hours of shared daytime", hours)
    )
    return "; ".join(parts)


async def live_mentorships(uow: UnitOfWork, community_id: int) -> list[Mentorship]:
    """The community's mentorships that hold a mentor's slot (proposed or active)."""
    statement = select(Mentorship).where(
        Mentorship.community_id == community_id, Mentorship.status.in_(LIVE)
    )
    return list((await uow.session.scalars(statement)).all())


async def propose(uow: UnitOfWork, community: Community, now: datetime) -> list[Mentorship]:
    """Proposals for every open request that has no live mentorship; returns the new ones."""
    live = await live_mentorships(uow, community.id)
    served = {m.request_id for m in live}
    taken: dict[int, int] = {}
    for mentorship in live:
        taken[mentorship.mentor_id] = taken.get(mentorship.mentor_id, 0) + 1
    offers = (
        await uow.session.execute(
            select(MentorOffer, Member)
            .join(Member, Member.id == MentorOffer.member_id)
            .where(MentorOffer.community_id == community.id, MentorOffer.active.is_(True))
        )
    ).all()
    requests = (
        await uow.session.execute(
            select(MentorRequest, Member)
            .join(Member, Member.id == MentorRequest.member_id)
            .where(MentorRequest.community_id == community.id, MentorRequest.closed_at.is_(None))
        )
    ).all()
    mentors = [
        Mentor(
            m.id,
            frozenset(o.themes),
            frozenset(m.languages or ()),
            o.capacity,
            m.region,
            utc_offset(m, community, now),
        )
        for o, m in offers
    ]
    mentees = [
        Mentee(
            r.id,
            m.id,
            frozenset(r.themes),
            frozenset(m.languages or ()),
            m.region,
            utc_offset(m, community, now),
        )
        for r, m in requests
        if r.id not in served
    ]
    bans = [
        frozenset(b)
        for b in (await uow.session.execute(select(MentorBan.mentor_id, MentorBan.mentee_id))).all()
    ]
    bans += [frozenset(p) for p in await uow.meet.exclusions([m.id for m in mentors])]
    refused = (
        await uow.session.execute(
            select(Mentorship.request_id, Mentorship.mentor_id).where(
                Mentorship.community_id == community.id,
                Mentorship.status == MentorshipStatus.CANCELLED,
            )
        )
    ).all()
    by_request = {r.id: r for r, _ in requests}
    made = []
    for proposal in assign(
        mentors, mentees, bans=bans, taken=taken, refused=[(r, m) for r, m in refused]
    ):
        mentorship = Mentorship(
            community_id=community.id,
            request_id=proposal.request_id,
            mentor_id=proposal.mentor_id,
            mentee_id=by_request[proposal.request_id].member_id,
            status=MentorshipStatus.PROPOSED,
            reason=reason_data(proposal.reason),
            proposed_at=now,
        )
        uow.session.add(mentorship)
        made.append(mentorship)
    await uow.flush()
    return made


async def pin(
    uow: UnitOfWork, community: Community, mentorship: Mentorship, mentor: Member, now: datetime
) -> None:
    """An admin's choice overrides the computed proposal: ``mentor`` (who offered to mentor in
    this community, and is not banned for this mentee) is asked instead."""
    if mentor.id == mentorship.mentee_id:
        raise UserFacingError("Nobody mentors themselves.")
    offer = await uow.session.get(MentorOffer, (community.id, mentor.id))
    if offer is None or not offer.active:
        raise UserFacingError("{name} has not offered to mentor here.", name=mentor.display_name)
    if await uow.session.get(MentorBan, (mentor.id, mentorship.mentee_id)) is not None:
        raise UserFacingError("These two are banned from being paired.")
    mentee = await uow.members.get(mentorship.mentee_id)
    if mentee is None:
        raise UserFacingError("That proposal is no longer open.")
    reason = reason_for(
        Mentor(mentor.id, frozenset(offer.themes), frozenset(mentor.languages or ()), 1,
               mentor.region, utc_offset(mentor, community, now)),
        Mentee(mentorship.request_id, mentee.id, frozenset(), frozenset(mentee.languages or ()),
               mentee.region, utc_offset(mentee, community, now)),
    )  # fmt: skip
    request = await uow.session.get(MentorRequest, mentorship.request_id)
    data: dict[str, Any] = {"language": None, "themes": [], "shared_hours": 0}
    if reason is not None:
        data = reason_data(reason)
    if request is not None:
        data["themes"] = sorted(set(offer.themes) & set(request.themes))
    data["pinned"] = True
    mentorship.mentor_id = mentor.id
    mentorship.reason = data
    mentorship.pinned = True


def reason_data(reason: Reason) -> dict[str, Any]:
    return {
        "language": reason.language,
        "themes": list(reason.themes),
        "shared_hours": reason.shared_hours,
    }


async def ask(uow: UnitOfWork, community: Community, mentorship: Mentorship, now: datetime) -> None:
    """Ask the mentor privately, with accept / decline buttons, to answer within a week."""
    mentorship.asked_at = now
    mentorship.respond_by = now + RESPOND_WITHIN
    mentor = await uow.members.get(mentorship.mentor_id)
    mentee = await uow.members.get(mentorship.mentee_id)
    request = await uow.session.get(MentorRequest, mentorship.request_id)
    recipient = private_recipient(mentor) if mentor else None
    if mentor is None or mentee is None or request is None or recipient is None:
        return
    _ = Translator(mentor.language or community.default_language)
    zone = member_zone(mentor, community.timezone)
    reply = Reply(
        body=doc(
            line(bold(_.gettext("Would you mentor {name}?", name=mentee.display_name))),
            _.gettext("Their goals: {goals}", goals=request.goals),
            _.gettext("Why you: {reason}.", reason=reason_text(mentorship.reason, _)),
            _.gettext(
                "Please answer by {date}.",
                date=_.format_date(mentorship.respond_by, zone),
            ),
        ),
        buttons=(
            (
                Button(_.gettext("Accept"), f"mentor accept {mentorship.id}"),
                Button(_.gettext("No, sorry"), f"mentor decline {mentorship.id}"),
            ),
        ),
        rtl=_.rtl,
    )
    await outbox.enqueue(
        uow,
        [
            outbox.message(
                f"mentor-ask:{mentorship.id}",
                "mentor.ask",
                recipient,
                reply,
                now,
                member_id=mentor.id,
                community_id=community.id,
            )
        ],
        now=now,
    )


async def accept(
    uow: UnitOfWork, community: Community, mentorship: Mentorship, now: datetime
) -> None:
    offer = await uow.session.get(MentorOffer, (community.id, mentorship.mentor_id))
    months = offer.months if offer else 6
    mentorship.status = MentorshipStatus.ACTIVE
    mentorship.started_at = now
    mentorship.ends_at = now + timedelta(days=30 * months)
    request = await uow.session.get(MentorRequest, mentorship.request_id)
    if request is not None:
        request.closed_at = now
    mentee = await uow.members.get(mentorship.mentee_id)
    _ = Translator((mentee.language if mentee else None) or community.default_language)
    await lifecycle.welcome(uow, community, mentorship, reason_text(mentorship.reason, _), now)


async def decline(
    uow: UnitOfWork, community: Community, mentorship: Mentorship, now: datetime
) -> Mentorship | None:
    """Cancel, then propose and ask the next choice for the same request (if any)."""
    mentorship.status = MentorshipStatus.CANCELLED
    await uow.flush()
    for made in await propose(uow, community, now):
        if made.request_id == mentorship.request_id:
            await ask(uow, community, made, now)
            return made
    return None


async def expire(uow: UnitOfWork, now: datetime) -> int:
    """Silence past the deadline counts as a decline."""
    statement = select(Mentorship).where(
        Mentorship.status == MentorshipStatus.PROPOSED, Mentorship.respond_by < now
    )
    count = 0
    for mentorship in (await uow.session.scalars(statement)).all():
        community = await uow.session.get(Community, mentorship.community_id)
        if community is not None:
            await decline(uow, community, mentorship, now)
            count += 1
    return count
