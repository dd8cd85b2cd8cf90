"""/mentor: offers, requests, the admins' preview and approval, the mentor's answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.ports import Ports
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, line
from bot.core.topics import Topic
from bot.core.vocab import THEMES, label
from bot.features.mentoring import lifecycle, service
from bot.features.profiles.lookup import find_member
from storage.models_networking import MentorBan, MentorOffer, MentorRequest, Mentorship
from storage.repositories.members import MemberScope
from storage.statuses import CheckinAnswer, MentorshipStatus

feature = Feature("mentoring", topic=Topic.NETWORK)

ID_ARG = ArgSpec("id", ArgKind.INTEGER, N_("The mentorship number"))
MAX_LENGTH = timedelta(days=730)


@feature.command(
    "mentor",
    "offer",
    description=N_("Offer to mentor: how many mentees, months, themes"),
    args=[
        ArgSpec("mentees", ArgKind.INTEGER, N_("How many mentees at once")),
        ArgSpec("months", ArgKind.INTEGER, N_("For how many months")),
        ArgSpec("themes", ArgKind.TEXT, N_("What you are strong on"), max_length=500),
    ],
    audience=Audience.CHAMPION,
)
async def offer(ctx: CommandContext, mentees: int, months: int, themes: str) -> Reply:
    if not (1 <= mentees <= 10 and 1 <= months <= 24):
        raise UserFacingError("Between 1 and 10 mentees, for 1 to 24 months.")
    found = await ctx.uow.session.get(MentorOffer, (ctx.community.id, ctx.member.id))
    if found is None:
        found = MentorOffer(
            community_id=ctx.community.id, member_id=ctx.member.id, created_at=ctx.now
        )
        ctx.uow.session.add(found)
    found.capacity, found.months, found.active = mentees, months, True
    found.themes = service.themes_in(themes) or list(ctx.member.expertise or ())
    return ctx.reply(
        ctx.ngettext(
            "Thank you. You offer to mentor {count} person for {months}.",
            "Thank you. You offer to mentor {count} people for {months}.",
            mentees,
            months=ctx.ngettext("{count} month", "{count} months", months),
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "mentor",
    "request",
    description=N_("Ask for a mentor: your goals and themes"),
    args=[ArgSpec("goals", ArgKind.TEXT, N_("e.g. first campaign, legal quotas"), max_length=1000)],
    audience=Audience.CHAMPION,
)
async def request(ctx: CommandContext, goals: str) -> Reply:
    """Goals that are exactly a theme's code (the button under the self-assessment's advice)
    read as the theme's name in the member's language."""
    code = goals.strip()
    themes = [code] if code in service.THEME_CODES else service.themes_in(goals)
    if code in service.THEME_CODES:
        goals = ctx._(label(THEMES, code) or code)
    open_already = await ctx.uow.session.scalar(
        select(MentorRequest.id).where(
            MentorRequest.community_id == ctx.community.id,
            MentorRequest.member_id == ctx.member.id,
            MentorRequest.closed_at.is_(None),
            MentorRequest.goals == goals,
        )
    )
    if open_already is not None:  # a button pressed twice, a command sent twice
        return ctx.reply(
            ctx._("You have already asked for this. The admins will propose a mentor soon."),
            destination=Destination.EPHEMERAL,
        )
    ctx.uow.session.add(
        MentorRequest(
            community_id=ctx.community.id,
            member_id=ctx.member.id,
            goals=goals,
            themes=themes,
            created_at=ctx.now,
        )
    )
    return ctx.reply(
        ctx._("Your request is noted. The admins will propose a mentor soon."),
        destination=Destination.EPHEMERAL,
    )


async def _names(ctx: CommandContext, mentorship: Mentorship) -> tuple[str, str]:
    mentor = await ctx.uow.members.get(mentorship.mentor_id)
    mentee = await ctx.uow.members.get(mentorship.mentee_id)
    return (mentor.display_name if mentor else "?", mentee.display_name if mentee else "?")


@feature.command(
    "mentor",
    "propose",
    description=N_("Preview mentor proposals, with reasons"),
    audience=Audience.ADMIN,
)
async def propose(ctx: CommandContext) -> Reply:
    await service.propose(ctx.uow, ctx.community, ctx.now)
    waiting = (
        await ctx.uow.session.scalars(
            select(Mentorship).where(
                Mentorship.community_id == ctx.community.id,
                Mentorship.status == MentorshipStatus.PROPOSED,
                Mentorship.asked_at.is_(None),
            )
        )
    ).all()
    if not waiting:
        return ctx.reply(
            ctx._("No proposal: no open request has a suitable mentor."),
            destination=Destination.PERSONAL,
        )
    items = []
    for mentorship in waiting:
        mentor, mentee = await _names(ctx, mentorship)
        reason = service.reason_text(mentorship.reason, ctx.translator)
        items.append(line(bold(f"#{mentorship.id} {mentor} → {mentee}"), f": {reason}"))
    return ctx.reply(
        line(bold(ctx._("Mentor proposals"))),
        bullets(items),
        ctx._(
            "/mentor approve asks the mentors; /mentor pin <number> <member> chooses another "
            "mentor; /mentor ban <number> drops a proposal."
        ),
        destination=Destination.PERSONAL,
    )


@feature.command(
    "mentor", "approve", description=N_("Ask the proposed mentors"), audience=Audience.ADMIN
)
async def approve(ctx: CommandContext) -> Reply:
    waiting = (
        await ctx.uow.session.scalars(
            select(Mentorship).where(
                Mentorship.community_id == ctx.community.id,
                Mentorship.status == MentorshipStatus.PROPOSED,
                Mentorship.asked_at.is_(None),
            )
        )
    ).all()
    for mentorship in waiting:
        await service.ask(ctx.uow, ctx.community, mentorship, ctx.now)
    await ctx.audit("mentor.approve", count=len(waiting))
    return ctx.reply(
        ctx.ngettext("{count} mentor asked.", "{count} mentors asked.", len(waiting)),
        destination=Destination.EPHEMERAL,
    )


async def _mine(ctx: CommandContext, id: int, *, as_mentor: bool) -> Mentorship:
    mentorship = await ctx.uow.session.get(Mentorship, id)
    owner = mentorship.mentor_id if mentorship and as_mentor else None
    if mentorship is None or mentorship.community_id != ctx.community.id:
        raise NotFoundError("There is no mentorship #{id}.", id=id)
    if as_mentor and owner != ctx.member.id:
        raise NotFoundError("There is no mentorship #{id}.", id=id)
    return mentorship


@feature.command(
    "mentor",
    "ban",
    description=N_("Drop a proposal and never pair these two"),
    args=[ID_ARG],
    audience=Audience.ADMIN,
)
async def ban(ctx: CommandContext, id: int) -> Reply:
    mentorship = await _mine(ctx, id, as_mentor=False)
    if mentorship.status == MentorshipStatus.PROPOSED:
        mentorship.status = MentorshipStatus.CANCELLED
    if await ctx.uow.session.get(MentorBan, (mentorship.mentor_id, mentorship.mentee_id)) is None:
        ctx.uow.session.add(
            MentorBan(mentor_id=mentorship.mentor_id, mentee_id=mentorship.mentee_id)
        )
    await ctx.audit("mentor.ban", mentorship_id=id)
    return ctx.reply(
        ctx._("Dropped; these two will not be proposed again."), destination=Destination.EPHEMERAL
    )


async def _asked(ctx: CommandContext, id: int) -> Mentorship:
    mentorship = await _mine(ctx, id, as_mentor=True)
    if mentorship.status != MentorshipStatus.PROPOSED or mentorship.asked_at is None:
        raise UserFacingError("That proposal is no longer open.")
    return mentorship


@feature.command("mentor", "accept", description=N_("Accept to mentor"), args=[ID_ARG], hidden=True)
async def accept(ctx: CommandContext, id: int) -> Reply:
    mentorship = await _asked(ctx, id)
    await service.accept(ctx.uow, ctx.community, mentorship, ctx.now)
    _mentor, mentee = await _names(ctx, mentorship)
    return ctx.reply(
        ctx._("Thank you! {name} is told.", name=mentee), destination=Destination.EPHEMERAL
    )


@feature.command(
    "mentor", "decline", description=N_("Decline to mentor"), args=[ID_ARG], hidden=True
)
async def decline(ctx: CommandContext, id: int) -> Reply:
    mentorship = await _asked(ctx, id)
    await service.decline(ctx.uow, ctx.community, mentorship, ctx.now)
    return ctx.reply(
        ctx._("Understood. I will ask someone else."), destination=Destination.EPHEMERAL
    )


@feature.command(
    "mentor",
    "pin",
    description=N_("Choose the mentor of a proposal yourself"),
    args=[
        ID_ARG,
        ArgSpec("mentor", ArgKind.MEMBER, N_("A name, @username or #number"), max_length=100),
    ],
    audience=Audience.ADMIN,
)
async def pin(ctx: CommandContext, id: int, mentor: str) -> Reply:
    mentorship = await _mine(ctx, id, as_mentor=False)
    if mentorship.status != MentorshipStatus.PROPOSED or mentorship.asked_at is not None:
        raise UserFacingError("That proposal is no longer open.")
    chosen = await find_member(
        ctx.uow, mentor, MemberScope.within({ctx.community.id}), ctx.translator
    )
    await service.pin(ctx.uow, ctx.community, mentorship, chosen, ctx.now)
    await ctx.audit("mentor.pin", mentorship_id=id, member_id=chosen.id)
    mentor_name, mentee_name = await _names(ctx, mentorship)
    return ctx.reply(
        ctx._(
            "Pinned: {mentor} → {mentee}. /mentor approve asks them.",
            mentor=mentor_name,
            mentee=mentee_name,
        ),
        destination=Destination.EPHEMERAL,
    )


async def _ours(ctx: CommandContext, id: int, *, active: bool = True) -> Mentorship:
    """A mentorship the member is a party of (admins may end any), active unless said."""
    mentorship = await _mine(ctx, id, as_mentor=False)
    if ctx.member.id not in (mentorship.mentor_id, mentorship.mentee_id):
        raise NotFoundError("There is no mentorship #{id}.", id=id)
    if active and mentorship.status != MentorshipStatus.ACTIVE:
        raise UserFacingError("Mentorship #{id} is not active.", id=id)
    return mentorship


@feature.command(
    "mentor",
    "goal",
    description=N_("Write down the goal you agreed on"),
    args=[ID_ARG, ArgSpec("goal", ArgKind.TEXT, N_("Your shared goal"), max_length=500)],
    audience=Audience.CHAMPION,
)
async def goal(ctx: CommandContext, id: int, goal: str) -> Reply:
    mentorship = await _ours(ctx, id)
    mentorship.goal = " ".join(goal.split())
    return ctx.reply(
        ctx._("Goal of mentorship #{id} noted: {goal}", id=id, goal=mentorship.goal),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "mentor",
    "until",
    description=N_("Change the end date of a mentorship"),
    args=[ID_ARG, ArgSpec("date", ArgKind.WORD, N_("The new end date, YYYY-MM-DD"))],
    audience=Audience.CHAMPION,
)
async def until(ctx: CommandContext, id: int, date: str) -> Reply:
    mentorship = await _ours(ctx, id)
    moment = lifecycle.end_of_day(date, ctx.zone)
    if moment is None:
        raise UserFacingError("Give the date as YYYY-MM-DD, for example 2027-06-30.")
    if moment <= ctx.now or moment > ctx.now + MAX_LENGTH:
        raise UserFacingError("Choose a date in the future, within two years.")
    mentorship.ends_at = moment
    return ctx.reply(
        ctx._(
            "Mentorship #{id} now ends on {date}.",
            id=id,
            date=lifecycle.day_text(moment, ctx.zone, ctx.translator),
        ),
        destination=Destination.EPHEMERAL,
    )


CHECKIN_ANSWERS = (
    Choice(CheckinAnswer.WELL, N_("going well")),
    Choice(CheckinAnswer.HELP, N_("need help")),
    Choice(CheckinAnswer.STOPPED, N_("we stopped")),
)


@feature.command(
    "mentor",
    "checkin",
    description=N_("Answer a mentoring check-in"),
    args=[
        ID_ARG,
        ArgSpec("number", ArgKind.INTEGER, N_("The check-in number")),
        ArgSpec("answer", ArgKind.CHOICE, N_("How it is going"), choices=CHECKIN_ANSWERS),
    ],
    hidden=True,
)
async def checkin(ctx: CommandContext, id: int, number: int, answer: str) -> Reply:
    mentorship = await _ours(ctx, id)
    if not 1 <= number <= mentorship.checkins_sent:
        raise UserFacingError("There is no such check-in.")
    choice = CheckinAnswer(answer)
    await lifecycle.answer_checkin(
        ctx.uow, ctx.community, mentorship, ctx.member, number, choice, ctx.now
    )
    text = {
        CheckinAnswer.WELL: ctx._("Wonderful. Thank you for telling me."),
        CheckinAnswer.HELP: ctx._("The admins are told; one of them will get in touch."),
        CheckinAnswer.STOPPED: ctx._("Understood: the mentorship is closed. Thank you both."),
    }[choice]
    return ctx.reply(text, destination=Destination.EPHEMERAL)


@feature.command(
    "mentor",
    "feedback",
    description=N_("Rate a closed mentorship, 1 to 5, with a line"),
    args=[
        ID_ARG,
        ArgSpec("rating", ArgKind.INTEGER, N_("From 1 (poor) to 5 (excellent)")),
        ArgSpec("note", ArgKind.TEXT, N_("A line, if you like"), required=False, max_length=500),
    ],
    hidden=True,
)
async def feedback(ctx: CommandContext, id: int, rating: int, note: str | None = None) -> Reply:
    mentorship = await _ours(ctx, id, active=False)
    if mentorship.closed_at is None:  # still active, or a proposal that never started
        raise UserFacingError("Feedback comes when the mentorship is closed.")
    if rating not in lifecycle.RATINGS:
        raise UserFacingError("Give a rating from 1 to 5.")
    clean = " ".join(note.split()) if note else None
    await lifecycle.give_feedback(ctx.uow, mentorship, ctx.member, rating, clean, ctx.now)
    return ctx.reply(ctx._("Thank you for your feedback."), destination=Destination.EPHEMERAL)


@feature.command(
    "mentor", "end", description=N_("Close a mentorship"), args=[ID_ARG], audience=Audience.CHAMPION
)
async def end(ctx: CommandContext, id: int) -> Reply:
    mentorship = await _mine(ctx, id, as_mentor=False)
    if ctx.member.id not in (mentorship.mentor_id, mentorship.mentee_id) and not ctx.is_admin:
        raise NotFoundError("There is no mentorship #{id}.", id=id)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise UserFacingError("Mentorship #{id} is not active.", id=id)
    await lifecycle.close(ctx.uow, ctx.community, mentorship, MentorshipStatus.COMPLETED, ctx.now)
    return ctx.reply(ctx._("Mentorship closed. Thank you both."), destination=Destination.EPHEMERAL)


@feature.periodic
async def expire_unanswered(ports: Ports, now: datetime) -> int:
    async with ports.unit_of_work() as uow:
        return await service.expire(uow, now)


@feature.periodic
async def follow_mentorships(ports: Ports, now: datetime) -> int:
    """Close the mentorships whose end date came, then send the check-ins that are due."""
    async with ports.unit_of_work() as uow:
        closed = await lifecycle.close_ended(uow, now)
        return closed + await lifecycle.send_checkins(uow, now)
