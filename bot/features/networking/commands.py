"""/meet for members: join the pairing rounds, pause, leave, "not with", and talk to a partner.

Joining also lists the member in ``/find`` (the directory of champions who opted in):
whoever asks to be introduced to strangers agrees to be found by them; ``/meet findable no``
withdraws it without leaving the rounds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, PlaceKind, Reply, SentMessage
from bot.core.registry import Audience, Where
from bot.core.topics import Topic
from bot.features.networking import relay, rounds
from bot.features.profiles.lookup import find_member
from storage.repositories.members import MemberScope
from storage.statuses import MeetStatus

feature = Feature("networking", topic=Topic.NETWORK)

MAX_PAUSE = timedelta(days=365)
YES_NO = (Choice("yes", N_("yes")), Choice("no", N_("no")))


@feature.command(
    "meet",
    "join",
    featured=True,
    description=N_("Join the pairing rounds: meet a champion every few weeks"),
    audience=Audience.CHAMPION,
)
async def join(ctx: CommandContext) -> Reply:
    await ctx.uow.meet.join(ctx.community.id, ctx.member.id, ctx.now)
    return ctx.reply(
        ctx._(
            "You are in the pairing rounds of {community}. Each round I introduce you privately "
            "to someone, preferably from another region. Other champions can find you with /find.",
            community=ctx.community.name,
        ),
        destination=Destination.EPHEMERAL,
    )


async def _participant_or_fail(ctx: CommandContext):  # type: ignore[no-untyped-def]
    participant = await ctx.uow.meet.participant(ctx.community.id, ctx.member.id)
    if participant is None or participant.status == MeetStatus.LEFT:
        raise UserFacingError("You are not in the pairing rounds: /meet join to take part.")
    return participant


@feature.command(
    "meet",
    "pause",
    description=N_("Skip the pairing rounds for a while, e.g. 2w"),
    args=[ArgSpec("length", ArgKind.DURATION, N_("How long, e.g. 2w or 10d"))],
    audience=Audience.CHAMPION,
)
async def pause(ctx: CommandContext, length: timedelta) -> Reply:
    if length > MAX_PAUSE:
        raise UserFacingError("Pause for a year at most; /meet leave stops the rounds for good.")
    participant = await _participant_or_fail(ctx)
    participant.status = MeetStatus.PAUSED
    participant.paused_until = ctx.now + length
    await rounds.withdraw_pending_intro(ctx.uow, ctx.community.id, ctx.member.id)
    until = ctx.translator.format_datetime(participant.paused_until, ctx.zone)
    return ctx.reply(
        ctx._("Paused until {date}. You will be paired again after that.", date=until),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "meet", "leave", description=N_("Leave the pairing rounds"), audience=Audience.CHAMPION
)
async def leave(ctx: CommandContext) -> Reply:
    participant = await _participant_or_fail(ctx)
    participant.status = MeetStatus.LEFT
    participant.findable = False
    await rounds.withdraw_pending_intro(ctx.uow, ctx.community.id, ctx.member.id)
    return ctx.reply(
        ctx._("You left the pairing rounds and the directory. /meet join brings you back."),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "meet",
    "not",
    description=N_("Never pair me with this member"),
    args=[ArgSpec("member", ArgKind.MEMBER, N_("A name, @username or #number"), max_length=100)],
    audience=Audience.CHAMPION,
)
async def not_with(ctx: CommandContext, member: str) -> Reply:
    other = await find_member(
        ctx.uow, member, MemberScope.within({ctx.community.id}), ctx.translator
    )
    if other.id == ctx.member.id:
        raise UserFacingError("That is you.")
    await ctx.uow.meet.exclude(ctx.member.id, other.id)
    return ctx.reply(
        ctx._(
            "Noted. You will never be paired with {name}. They are not told.",
            name=other.display_name,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "meet",
    "findable",
    description=N_("Be listed in /find, or not"),
    args=[ArgSpec("answer", ArgKind.CHOICE, N_("yes or no"), choices=YES_NO)],
    audience=Audience.CHAMPION,
)
async def findable(ctx: CommandContext, answer: str) -> Reply:
    participant = await ctx.uow.meet.participant(ctx.community.id, ctx.member.id)
    if participant is None:
        participant = await ctx.uow.meet.join(ctx.community.id, ctx.member.id, ctx.now)
        participant.status = MeetStatus.LEFT
    participant.findable = answer == "yes"
    text = (
        ctx._("Champions can now find you with /find.")
        if participant.findable
        else ctx._("You are no longer listed in /find.")
    )
    return ctx.reply(text, destination=Destination.EPHEMERAL)


@feature.command(
    "meet",
    "status",
    description=N_("Your pairing rounds: status and partner"),
    audience=Audience.CHAMPION,
)
async def status(ctx: CommandContext) -> Reply:
    participant = await ctx.uow.meet.participant(ctx.community.id, ctx.member.id)
    lines = []
    if participant is None or participant.status == MeetStatus.LEFT:
        lines.append(ctx._("You are not in the pairing rounds: /meet join to take part."))
    elif participant.status == MeetStatus.PAUSED and participant.paused_until is not None:
        until = ctx.translator.format_datetime(participant.paused_until, ctx.zone)
        lines.append(ctx._("Paused until {date}.", date=until))
    else:
        lines.append(ctx._("You are in the pairing rounds."))
    current = await rounds.current_group(ctx.uow, ctx.community.id, ctx.member, ctx.now)
    if current is not None:
        meet_round, others = current
        lines.append(
            ctx._(
                "This round ({date}): {names}.",
                date=ctx.translator.format_datetime(meet_round.ends_at, ctx.zone),
                names=ctx.translator.format_list([o.display_name for o in others]),
            )
        )
    excluded = await ctx.uow.meet.excluded_by(ctx.member.id)
    if excluded:
        lines.append(
            ctx.ngettext(
                "Never paired with: {count} member.",
                "Never paired with: {count} members.",
                len(excluded),
            )
        )
    return ctx.reply(*lines, destination=Destination.PERSONAL)


@feature.command(
    "meet",
    "say",
    description=N_("Send a message to your partner of this round"),
    args=[ArgSpec("text", ArgKind.TEXT, N_("Your message"), max_length=2000)],
    where=Where.PRIVATE,
    audience=Audience.CHAMPION,
)
async def say(ctx: CommandContext, text: str) -> Reply:
    names = await relay.pass_on(ctx, text)
    return ctx.reply(
        ctx._("Passed on to {names}.", names=ctx.translator.format_list(names)),
        destination=Destination.EPHEMERAL,
    )


@feature.listener
async def reply_to_intro(ctx: CommandContext) -> Reply | None:
    """In a private chat, replying to the introduction card relays the text to the partner."""
    if ctx.request.place.kind is not PlaceKind.PRIVATE:
        return None
    names = await relay.answer_to_intro(ctx)
    if names is None:
        return None
    return ctx.reply(
        ctx._("Passed on to {names}.", names=ctx.translator.format_list(names)),
        destination=Destination.EPHEMERAL,
    )


@feature.on_sent(rounds.INTRO_KIND)
async def remember_intro(uow: Any, row: Any, sent: SentMessage) -> None:
    """An introduction was delivered: keep its platform id, so a reply to it is relayed."""
    round_id = row.payload.get("meta", {}).get("round_id")
    if round_id is None or row.member_id is None or not sent.message_id:
        return
    await uow.meet.record_intro(int(round_id), row.member_id, sent.message_id)


@feature.command(
    "meet",
    "thanks",
    description=N_("Thank your partner of the last round"),
    args=[ArgSpec("text", ArgKind.TEXT, N_("Your thanks"), max_length=500)],
    audience=Audience.CHAMPION,
)
async def thanks(ctx: CommandContext, text: str) -> Reply:
    names = await relay.thank(ctx, text)
    return ctx.reply(
        ctx._("Your thanks are on their way to {names}.", names=ctx.translator.format_list(names)),
        destination=Destination.EPHEMERAL,
    )
