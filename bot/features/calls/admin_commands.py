"""Admins post a call, see who volunteered, and pick: ``/call add|list|volunteers|pick``.

Rights are checked on the call's own community (``ctx.administered``): another community's
call meets the same "not found" as one that does not exist.
"""

from __future__ import annotations

from typing import Any

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.day_words import WallTime
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.core.i18n import N_, Plural
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, code, line
from bot.core.vocab import REGIONS, THEMES, label
from bot.features.calls.commands import ID_ARG, feature, load_call, missing
from bot.features.calls.input import parse_details
from bot.features.calls.service import (
    KIND_LABELS,
    cancel,
    invite,
    make_speakers,
    tell_outcome,
)
from bot.features.events.cards import when_text
from bot.features.events.input import aware_start
from bot.features.profiles.lookup import find_member
from storage.models import Member
from storage.models_calls import CallVolunteer, ContributorCall
from storage.repositories.members import MemberScope
from storage.statuses import CallKind, CallStatus, VolunteerStatus

ADMIN_ONLY: dict[str, Any] = {"audience": Audience.ADMIN}


async def administered_call(ctx: CommandContext, reference: str) -> ContributorCall:
    return ctx.administered(await load_call(ctx, reference), missing(reference))


@feature.command(
    "call",
    "add",
    description=N_("Post a call for contributors (speakers, reviewers, a case study)"),
    args=[
        ArgSpec(
            "kind",
            ArgKind.CHOICE,
            N_("What the call is for"),
            choices=tuple(Choice(kind.value, kind.value) for kind in CallKind),
        ),
        ArgSpec("deadline", ArgKind.DATETIME, N_("Deadline, like 2026-12-01 18:00")),
        ArgSpec("title", ArgKind.TEXT, N_("The call's title (in quotes)"), max_length=200),
        ArgSpec(
            "details",
            ArgKind.TEXT,
            N_("event=12 themes=quotas seats=1, then a description"),
            required=False,
            max_length=2000,
        ),
    ],
    **ADMIN_ONLY,
)
async def add_call(
    ctx: CommandContext, kind: str, deadline: WallTime, title: str, details: str | None = None
) -> list[Reply]:
    call_kind = CallKind(kind)
    title = " ".join(str(title).split())[:200]
    if not title:
        raise UsageError("Give the call a title.")
    parsed = parse_details(details or "")
    event = None
    if call_kind == CallKind.SPEAKER:
        if parsed.event_id is None:
            raise UsageError("A call for speakers names its webinar: add event=<number>.")
        event = ctx.administered(
            await ctx.uow.events.get(parsed.event_id),
            NotFoundError("There is no webinar #{id} to find speakers for.",
                          id=parsed.event_id),
        )  # fmt: skip
    moment = aware_start(ctx, deadline, ctx.zone)
    if event is not None and moment >= event.starts_at:
        raise UsageError("The deadline must come before the webinar starts.")
    call = await ctx.uow.calls.add(
        ContributorCall(
            community_id=ctx.community.id,
            kind=call_kind,
            title=title,
            details=parsed.description,
            event_id=event.id if event else None,
            themes=parsed.themes,
            seats=parsed.seats,
            deadline=moment,
            status=CallStatus.OPEN,
            created_by=ctx.member.id,
            created_at=ctx.now,
        )
    )
    await ctx.audit("call.add", call_id=call.id, kind=call.kind.value, title=call.title)
    people, chats = await invite(ctx.uow, call, ctx.community, ctx.now, ctx.uow.wake_hooks)
    return [
        ctx.reply(
            line(bold(ctx._("Call #{id} is posted.", id=call.id))),
            ctx._(
                "Sent privately to {recipients}.",
                recipients=ctx.translator.format_list(
                    [
                        ctx.ngettext(
                            "{count} matching champion", "{count} matching champions", people
                        ),
                        ctx.ngettext("{count} chat", "{count} chats", chats),
                    ]
                ),
            ),
            line(ctx._("See who volunteers with "), code(f"/call volunteers {call.id}")),
            destination=Destination.EPHEMERAL,
        )
    ]


@feature.command("call", "list", description=N_("The calls for contributors"), **ADMIN_ONLY)
async def list_calls(ctx: CommandContext) -> Reply:
    calls = await ctx.uow.calls.of_community(ctx.community.id)
    if not calls:
        return ctx.reply(ctx._("No call yet. Post one with /call add."),
                         destination=Destination.PERSONAL)  # fmt: skip
    items = []
    counts = await ctx.uow.calls.volunteer_counts([call.id for call in calls])
    for call in calls:
        active = counts.get((call.id, VolunteerStatus.VOLUNTEERED), 0)
        chosen = counts.get((call.id, VolunteerStatus.CHOSEN), 0)
        if call.status == CallStatus.PICKED:
            state = ctx.ngettext("{count} picked", "{count} picked", chosen)
        elif call.status == CallStatus.CANCELLED:
            state = ctx._("cancelled")
        else:
            state = ctx.ngettext("{count} volunteer", "{count} volunteers", active)
        items.append(
            line(
                code(f"#{call.id}"), " ", bold(call.title), " — ", ctx._(KIND_LABELS[call.kind]),
                " — ", when_text(call.deadline, ctx.zone, ctx.translator), " — ", state,
            )
        )  # fmt: skip
    return ctx.reply(
        line(bold(ctx._("Calls for contributors"))), bullets(items),
        destination=Destination.PERSONAL,
    )  # fmt: skip


def _describe(ctx: CommandContext, member: Member) -> str:
    facts = [ctx._(label(THEMES, code) or code) for code in member.expertise or ()]
    if member.region:
        facts.insert(0, ctx._(label(REGIONS, member.region) or member.region))
    return f"{member.display_name} (#{member.id})" + (f": {', '.join(facts)}" if facts else "")


@feature.command(
    "call",
    "volunteers",
    description=N_("Who volunteered for a call"),
    args=[ID_ARG],
    **ADMIN_ONLY,
)
async def show_volunteers(ctx: CommandContext, id: str) -> Reply:
    call = await administered_call(ctx, id)
    answers = await ctx.uow.calls.volunteers(call.id)
    event = await ctx.uow.events.get(call.event_id) if call.event_id else None
    shown = {
        VolunteerStatus.VOLUNTEERED: N_("volunteered"),
        VolunteerStatus.WITHDRAWN: N_("withdrew"),
        VolunteerStatus.CHOSEN: N_("chosen"),
        VolunteerStatus.NOT_CHOSEN: N_("not chosen"),
    }
    items = []
    for answer in answers:
        member = await ctx.uow.members.get(answer.member_id)
        if member is not None:
            items.append(line(_describe(ctx, member), " — ", ctx._(shown[answer.status])))
    blocks: list[Any] = [
        line(bold(ctx._("Call #{id}: {title}", id=call.id, title=call.title))),
        line(ctx._("Answer by {when}.", when=when_text(call.deadline, ctx.zone, ctx.translator))),
    ]
    if event is not None:
        blocks.append(line(ctx._("Webinar: #{id} {title}", id=event.id, title=event.title)))
    if not items:
        blocks.append(line(ctx._("Nobody has volunteered yet.")))
        return ctx.reply(*blocks, destination=Destination.PERSONAL)
    blocks.append(bullets(items))
    if call.status == CallStatus.OPEN:
        blocks.append(line(ctx._("Choose with "), code(f"/call pick {call.id} Name, Name")))
    return ctx.reply(*blocks, destination=Destination.PERSONAL)


async def _chosen(
    ctx: CommandContext, reference: str, candidates: list[tuple[CallVolunteer, Member]]
) -> tuple[CallVolunteer, Member]:
    """The volunteer ``reference`` names, found as every command finds a member
    (``#12``, ``@handle``, full name or first name, accents and case aside; namesakes are
    listed to choose from), but only among the volunteers."""
    by_id = {member.id: (answer, member) for answer, member in candidates}
    try:
        found = await find_member(ctx.uow, reference, MemberScope.among(by_id), ctx.translator)
    except NotFoundError:
        raise UserFacingError(
            "“{name}” is not one of the volunteers: {names}.",
            name=reference.strip()[:100],
            names=", ".join(f"{m.display_name} (#{m.id})" for _a, m in candidates) or "—",
        ) from None
    return by_id[found.id]


@feature.command(
    "call",
    "pick",
    description=N_("Choose among a call's volunteers (the others are thanked)"),
    args=[
        ID_ARG,
        ArgSpec(
            "members", ArgKind.TEXT, N_("Names or #numbers, separated by commas"), max_length=1000
        ),
    ],
    **ADMIN_ONLY,
)
async def pick(ctx: CommandContext, id: str, members: str) -> Reply:
    call = await administered_call(ctx, id)
    if call.status == CallStatus.CANCELLED:
        raise UserFacingError("The call “{title}” is already cancelled.", title=call.title)
    if call.status != CallStatus.OPEN:
        raise UserFacingError("The call “{title}” is already decided.", title=call.title)
    candidates = []
    for answer in await ctx.uow.calls.volunteers(call.id, VolunteerStatus.VOLUNTEERED):
        member = await ctx.uow.members.get(answer.member_id)
        if member is not None:
            candidates.append((answer, member))
    names = [part for part in str(members).split(",") if part.strip()]
    chosen = [await _chosen(ctx, name, candidates) for name in names]
    picked = list({m.id: (a, m) for a, m in chosen}.values())
    if not picked:
        raise UsageError("Name at least one volunteer.")
    if len(picked) > call.seats:
        raise UserFacingError(
            Plural(
                "This call has {count} place; you chose {chosen}.",
                "This call has {count} places; you chose {chosen}.",
                call.seats,
            ),
            chosen=len(picked),
        )
    chosen_ids = {m.id for _a, m in picked}
    for answer, _member in candidates:
        answer.status = (
            VolunteerStatus.CHOSEN if answer.member_id in chosen_ids else VolunteerStatus.NOT_CHOSEN
        )
        answer.updated_at = ctx.now
    call.status = CallStatus.PICKED
    call.picked_at = ctx.now
    community = await ctx.uow.communities.get(call.community_id)
    assert community is not None  # the call cascades with its community
    event = await make_speakers(ctx.uow, call, sorted(chosen_ids), ctx.now, ctx.uow.wake_hooks)
    await ctx.uow.flush()
    await tell_outcome(
        ctx.uow, call, community, [a for a, _m in candidates], ctx.now, ctx.uow.wake_hooks
    )
    await ctx.audit(
        "call.pick",
        within=call.community_id,
        call_id=call.id,
        member_ids=sorted(chosen_ids),
        thanked=len(candidates) - len(chosen_ids),
    )
    thanked = len(candidates) - len(chosen_ids)
    said = [
        " ".join(
            (
                ctx._(
                    "Chosen for “{title}”: {names}.",
                    title=call.title,
                    names=ctx.translator.format_list([m.display_name for _a, m in picked]),
                ),
                ctx.ngettext(
                    "{count} other volunteer will be thanked.",
                    "{count} other volunteers will be thanked.",
                    thanked,
                ),
            )
        )
    ]
    if event is not None:
        said.append(ctx._("They are now speakers of event #{id}.", id=event.id))
    return ctx.reply(*said, destination=Destination.EPHEMERAL)


@feature.command(
    "call",
    "cancel",
    description=N_("Call off a call for contributors (its volunteers are told)"),
    args=[
        ID_ARG,
        ArgSpec("reason", ArgKind.TEXT, N_("Why, for the volunteers"), required=False,
                max_length=300),
    ],
    **ADMIN_ONLY,
)  # fmt: skip
async def cancel_call(ctx: CommandContext, id: str, reason: str | None = None) -> Reply:
    call = await administered_call(ctx, id)
    if call.status == CallStatus.CANCELLED:
        raise UserFacingError("The call “{title}” is already cancelled.", title=call.title)
    if call.status != CallStatus.OPEN:
        raise UserFacingError("The call “{title}” is already decided.", title=call.title)
    why = " ".join(str(reason or "").split())[:300] or None
    call.status = CallStatus.CANCELLED
    community = await ctx.uow.communities.get(call.community_id)
    assert community is not None  # the call cascades with its community
    removed, told = await cancel(ctx.uow, call, community, why, ctx.now, ctx.uow.wake_hooks)
    await ctx.audit(
        "call.cancel",
        within=call.community_id,
        call_id=call.id,
        reason=why,
        told=told,
        unsent_removed=removed,
    )
    return ctx.reply(
        ctx.ngettext(
            "The call “{title}” is cancelled. {count} volunteer will be told.",
            "The call “{title}” is cancelled. {count} volunteers will be told.",
            told,
            title=call.title,
        ),
        destination=Destination.EPHEMERAL,
    )
