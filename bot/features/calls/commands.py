"""The calls feature object, what its command modules share, and the champions' answers:
``/call volunteer`` and ``/call withdraw`` (the buttons under a call)."""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec, as_id
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.topics import Topic
from bot.features.calls.service import volunteer_button, withdraw_button
from storage.models_calls import ContributorCall
from storage.statuses import CallStatus, MembershipRole, VolunteerStatus

feature = Feature("calls", topic=Topic.CONTRIBUTIONS)

ID_ARG = ArgSpec("id", ArgKind.WORD, N_("Call number"), max_length=12)


def missing(reference: str) -> NotFoundError:
    return NotFoundError("There is no call #{id}.", id=reference.lstrip("#")[:12])


async def load_call(ctx: CommandContext, reference: str) -> ContributorCall | None:
    number = as_id(reference.strip().lstrip("#"))
    return await ctx.uow.calls.get(number) if number is not None else None


async def answerable_call(ctx: CommandContext, reference: str) -> ContributorCall:
    """A call the caller may answer: one of a community where they are a champion (or an
    admin). Any other is "not found", like a call that does not exist."""
    call = await load_call(ctx, reference)
    community = await ctx.uow.communities.get(call.community_id) if call else None
    membership = await ctx.uow.communities.membership(community, ctx.member) if community else None
    allowed = (MembershipRole.CHAMPION, MembershipRole.ADMIN)
    if call is None or membership is None or membership.role not in allowed:
        raise missing(reference)
    if call.status != CallStatus.OPEN or ctx.now >= call.deadline:
        raise UserFacingError("The call “{title}” is closed.", title=call.title)
    return call


@feature.command(
    "call",
    "volunteer",
    description=N_("Volunteer for a call for contributors"),
    args=[ID_ARG],
    audience=Audience.CHAMPION,
    hidden=True,
)
async def volunteer(ctx: CommandContext, id: str) -> Reply:
    call = await answerable_call(ctx, id)
    await ctx.uow.calls.answer(
        call.id,
        ctx.member.id,
        ctx.request.place.platform.value,
        VolunteerStatus.VOLUNTEERED,
        ctx.now,
    )
    return ctx.reply(
        ctx._(
            "Thank you! You volunteered for “{title}”. The admins will choose after the "
            "deadline; you will hear from me either way.",
            title=call.title,
        ),
        destination=Destination.EPHEMERAL,
        buttons=((withdraw_button(ctx.translator, call),),),
    )


@feature.command(
    "call",
    "withdraw",
    description=N_("Withdraw from a call you volunteered for"),
    args=[ID_ARG],
    audience=Audience.CHAMPION,
    hidden=True,
)
async def withdraw(ctx: CommandContext, id: str) -> Reply:
    call = await answerable_call(ctx, id)
    answer = await ctx.uow.calls.volunteer(call.id, ctx.member.id)
    if answer is None or answer.status != VolunteerStatus.VOLUNTEERED:
        raise UserFacingError("You have not volunteered for “{title}”.", title=call.title)
    await ctx.uow.calls.answer(
        call.id, ctx.member.id, answer.platform, VolunteerStatus.WITHDRAWN, ctx.now
    )
    return ctx.reply(
        ctx._("You withdrew from “{title}”.", title=call.title),
        destination=Destination.EPHEMERAL,
        buttons=((volunteer_button(ctx.translator, call),),),
    )
