"""An active mentorship's life: the agreed goal and end date, check-ins, closing with feedback.

When the mentor accepts, both are asked to agree on a goal and an end date (``/mentor goal``,
``/mentor until``; either may edit them). Every :data:`CHECKIN_EVERY` each party gets a one-tap
check-in ("going well / need help / we stopped") in her language and zone; "need help" alerts
the community's admins, "we stopped" closes the mentorship as cancelled. At the end date (or
``/mentor end``) it is completed. Closing asks each party for a rating and an optional line.

Every message goes through the outbox with a key naming the mentorship, the check-in number and
the reader, and the counter ``checkins_sent`` moves in the same transaction: a sweep that runs
twice, or a restart in the middle, sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.i18n import Translator
from bot.core.messages import Button, Reply
from bot.core.reading import ascii_digits
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.networking.cards import member_zone
from bot.features.profiles.lookup import private_recipient
from storage.models import Community, Member
from storage.models_networking import MentorCheckin, MentorFeedback, Mentorship
from storage.repositories.outbox import NewMessage
from storage.statuses import CheckinAnswer, MembershipRole, MentorshipStatus
from storage.unit_of_work import UnitOfWork

CHECKIN_EVERY = timedelta(weeks=3)
RATINGS = range(1, 6)


def day_text(moment: datetime | None, zone: str, translator: Translator) -> str:
    """A date in the reader's zone and language (:mod:`bot.core.dates`)."""
    return translator.format_date(moment, zone) if moment else "?"


def end_of_day(day: str, zone: str) -> datetime | None:
    """``YYYY-MM-DD`` read in the member's zone: the end date is that day, 18:00 local."""
    try:
        date = datetime.strptime(ascii_digits(day).strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(date, time(18, 0), ZoneInfo(zone))


async def _parties(uow: UnitOfWork, mentorship: Mentorship) -> list[tuple[Member, Member]]:
    """(reader, other) for the mentor and the mentee, when both still exist."""
    mentor = await uow.members.get(mentorship.mentor_id)
    mentee = await uow.members.get(mentorship.mentee_id)
    if mentor is None or mentee is None:
        return []
    return [(mentor, mentee), (mentee, mentor)]


def _message(
    key: str,
    kind: str,
    reader: Member,
    reply: Reply,
    community: Community,
    now: datetime,
    mentorship: Mentorship,
) -> list[NewMessage]:
    recipient = private_recipient(reader)
    if recipient is None:
        return []
    return [
        outbox.message(
            key,
            kind,
            recipient,
            reply,
            now,
            member_id=reader.id,
            community_id=community.id,
            mentorship_id=mentorship.id,
        )
    ]


async def welcome(
    uow: UnitOfWork, community: Community, mentorship: Mentorship, reason: str | None, now: datetime
) -> None:
    """Tell both the mentorship starts, and ask them to agree on a goal and an end date."""
    rows: list[NewMessage] = []
    for reader, other in await _parties(uow, mentorship):
        _ = Translator(reader.language or community.default_language)
        zone = member_zone(reader, community.timezone)
        is_mentee = reader.id == mentorship.mentee_id
        title = (
            _.gettext("{name} will be your mentor.", name=other.display_name)
            if is_mentee
            else _.gettext("You now mentor {name}.", name=other.display_name)
        )
        blocks = [line(bold(title))]
        if is_mentee and reason:
            blocks.append(line(_.gettext("Why: {reason}.", reason=reason)))
        blocks.append(
            line(
                _.gettext(
                    "Agree on a goal together, then one of you writes it: /mentor goal {id} "
                    "<your goal>. The mentorship ends on {date}; /mentor until {id} YYYY-MM-DD "
                    "changes it.",
                    id=mentorship.id,
                    date=day_text(mentorship.ends_at, zone, _),
                )
            )
        )
        reply = Reply(body=doc(*blocks), rtl=_.rtl)
        key = f"mentor-start:{mentorship.id}" + ("" if is_mentee else ":mentor")
        rows += _message(key, "mentor.start", reader, reply, community, now, mentorship)
    await outbox.enqueue(uow, rows, now=now)


def checkin_reply(
    reader: Member, other: Member, mentorship: Mentorship, number: int, community: Community
) -> Reply:
    """One party's check-in, with the three one-tap answers."""
    _ = Translator(reader.language or community.default_language)
    zone = member_zone(reader, community.timezone)
    blocks = [
        line(bold(_.gettext("How is your mentorship with {name} going?", name=other.display_name)))
    ]
    if mentorship.goal:
        blocks.append(line(_.gettext("Your goal: {goal}", goal=mentorship.goal)))
    blocks.append(line(_.gettext("It ends on {date}.", date=day_text(mentorship.ends_at, zone, _))))
    action = f"mentor checkin {mentorship.id} {number}"
    buttons = (
        (
            Button(_.gettext("Going well"), f"{action} {CheckinAnswer.WELL}"),
            Button(_.gettext("Need help"), f"{action} {CheckinAnswer.HELP}"),
            Button(_.gettext("We stopped"), f"{action} {CheckinAnswer.STOPPED}"),
        ),
    )
    return Reply(body=doc(*blocks), buttons=buttons, rtl=_.rtl)


async def send_checkins(uow: UnitOfWork, now: datetime) -> int:
    """Send each active mentorship's check-in that is due (only the latest if several are:
    after a long outage nobody gets three at once). Returns how many check-ins went out."""
    statement = select(Mentorship).where(
        Mentorship.status == MentorshipStatus.ACTIVE, Mentorship.started_at.is_not(None)
    )
    sent = 0
    for mentorship in (await uow.session.scalars(statement)).all():
        assert mentorship.started_at is not None
        if mentorship.ends_at is not None and mentorship.ends_at <= now:
            continue  # closing is due instead
        number = (now - mentorship.started_at) // CHECKIN_EVERY
        if number <= mentorship.checkins_sent:
            continue
        community = await uow.session.get(Community, mentorship.community_id)
        if community is None:
            continue
        mentorship.checkins_sent = number
        rows: list[NewMessage] = []
        for reader, other in await _parties(uow, mentorship):
            reply = checkin_reply(reader, other, mentorship, number, community)
            key = f"mentor-checkin:{mentorship.id}:{number}:{reader.id}"
            rows += _message(key, "mentor.checkin", reader, reply, community, now, mentorship)
        await outbox.enqueue(uow, rows, now=now)
        sent += 1
    return sent


async def close(
    uow: UnitOfWork,
    community: Community,
    mentorship: Mentorship,
    status: MentorshipStatus,
    now: datetime,
) -> None:
    """Complete or cancel, and ask each party for a rating (1-5) and an optional line."""
    mentorship.status = status
    mentorship.closed_at = now
    if mentorship.ends_at is None or mentorship.ends_at > now:
        mentorship.ends_at = now
    rows: list[NewMessage] = []
    for reader, other in await _parties(uow, mentorship):
        _ = Translator(reader.language or community.default_language)
        title = (
            _.gettext("Your mentorship with {name} is complete.", name=other.display_name)
            if status == MentorshipStatus.COMPLETED
            else _.gettext("Your mentorship with {name} has stopped.", name=other.display_name)
        )
        reply = Reply(
            body=doc(
                line(bold(title)),
                line(
                    _.gettext(
                        "How was it, from 1 (poor) to 5 (excellent)? To add a line: "
                        "/mentor feedback {id} <rating> <your words>.",
                        id=mentorship.id,
                    )
                ),
            ),
            buttons=(
                tuple(
                    Button("⭐" * rating, f"mentor feedback {mentorship.id} {rating}")
                    for rating in RATINGS
                ),
            ),
            rtl=_.rtl,
        )
        key = f"mentor-feedback:{mentorship.id}:{reader.id}"
        rows += _message(key, "mentor.feedback", reader, reply, community, now, mentorship)
    await outbox.enqueue(uow, rows, now=now)


async def close_ended(uow: UnitOfWork, now: datetime) -> int:
    """Complete every active mentorship whose end date has come."""
    statement = select(Mentorship).where(
        Mentorship.status == MentorshipStatus.ACTIVE, Mentorship.ends_at <= now
    )
    closed = 0
    for mentorship in (await uow.session.scalars(statement)).all():
        community = await uow.session.get(Community, mentorship.community_id)
        if community is not None:
            await close(uow, community, mentorship, MentorshipStatus.COMPLETED, now)
            closed += 1
    return closed


async def answer_checkin(
    uow: UnitOfWork,
    community: Community,
    mentorship: Mentorship,
    member: Member,
    number: int,
    answer: CheckinAnswer,
    now: datetime,
) -> None:
    """Record the answer (the last tap counts); "need help" alerts the admins once per
    check-in and party, "we stopped" cancels the mentorship."""
    found = await uow.session.scalar(
        select(MentorCheckin).where(
            MentorCheckin.mentorship_id == mentorship.id,
            MentorCheckin.number == number,
            MentorCheckin.member_id == member.id,
        )
    )
    if found is None:
        found = MentorCheckin(
            mentorship_id=mentorship.id, number=number, member_id=member.id, answered_at=now
        )
        uow.session.add(found)
    found.answer, found.answered_at = answer, now
    if answer == CheckinAnswer.HELP:
        await _alert_admins(uow, community, mentorship, member, number, now)
    elif answer == CheckinAnswer.STOPPED:
        await close(uow, community, mentorship, MentorshipStatus.CANCELLED, now)


async def _alert_admins(
    uow: UnitOfWork,
    community: Community,
    mentorship: Mentorship,
    member: Member,
    number: int,
    now: datetime,
) -> None:
    mentor = await uow.members.get(mentorship.mentor_id)
    mentee = await uow.members.get(mentorship.mentee_id)
    rows = []
    for admin in await uow.communities.members_with_role(community, MembershipRole.ADMIN):
        recipient = private_recipient(admin)
        if recipient is None:
            continue
        _ = Translator(admin.language or community.default_language)
        reply = Reply(
            body=doc(
                line(
                    bold(
                        _.gettext(
                            "{name} asks for help with mentorship #{id}.",
                            name=member.display_name,
                            id=mentorship.id,
                        )
                    )
                ),
                line(
                    _.gettext(
                        "Mentor: {mentor}; mentee: {mentee}. Please get in touch with them.",
                        mentor=mentor.display_name if mentor else "?",
                        mentee=mentee.display_name if mentee else "?",
                    )
                ),
            ),
            rtl=_.rtl,
        )
        rows.append(
            outbox.message(
                f"mentor-help:{mentorship.id}:{number}:{member.id}:{admin.id}",
                "mentor.help",
                recipient,
                reply,
                now,
                member_id=admin.id,
                community_id=community.id,
            )
        )
    await outbox.enqueue(uow, rows, now=now)


async def give_feedback(
    uow: UnitOfWork, mentorship: Mentorship, member: Member, rating: int, note: str | None,
    now: datetime,
) -> None:  # fmt: skip
    """Keep one feedback per party; giving it again replaces it (a note is kept if none)."""
    found = await uow.session.get(MentorFeedback, (mentorship.id, member.id))
    if found is None:
        found = MentorFeedback(
            mentorship_id=mentorship.id, member_id=member.id, rating=rating, given_at=now
        )
        uow.session.add(found)
    found.rating, found.given_at = rating, now
    if note:
        found.note = note
