"""/start, /profile, /language, /timezone: onboarding and editing one's own profile."""

from __future__ import annotations

from typing import Any

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Destination, PlaceKind, Reply
from bot.core.richtext import bold, line
from bot.core.router import ANSWER_PREFIX
from bot.core.timezones import describe_zone
from bot.core.topics import Topic
from bot.core.vocab import zones_for_country
from bot.features.profiles.lookup import find_member, profile_scope
from bot.features.profiles.service import (
    FIELD_CHOICES,
    FIELDS,
    field_named,
    is_skip,
    needs_region_question,
    profile_card,
    set_field,
)

feature = Feature("profiles", topic=Topic.NETWORK)

ONBOARDING = "onboarding"


def _private(ctx: CommandContext) -> bool:
    return ctx.request.place.kind is PlaceKind.PRIVATE


def question(ctx: CommandContext, step: str) -> Reply:
    """The onboarding question for ``step``, with a button per choice and a Skip button."""
    field = field_named(step)
    rows: list[tuple[Button, ...]] = []
    for index, choice in enumerate(field.choices, start=1):
        value = str(index) if field.multiple else choice.value
        rows.append((Button(ctx._(choice.label), ANSWER_PREFIX + value),))
    if step == "timezone":  # the country tells the likely zones: offer them as buttons
        for zone in zones_for_country(ctx.member.country)[:6]:
            rows.append((Button(zone, ANSWER_PREFIX + zone),))
    rows.append((Button(ctx._("Skip"), ANSWER_PREFIX + "skip"),))
    blocks: list[Any] = [line(bold(ctx._(field.question)))]
    if field.multiple and field.choices:
        blocks.extend(
            line(f"{index}. ", ctx._(choice.label))
            for index, choice in enumerate(field.choices, start=1)
        )
    blocks.append(line(ctx._("Type skip to leave it empty, or /cancel to stop.")))
    return ctx.reply(*blocks, destination=Destination.PRIVATE, buttons=tuple(rows))


async def _begin_onboarding(ctx: CommandContext) -> list[Reply]:
    first = FIELDS[0].name
    await ctx.ask_next(ONBOARDING, first, private=True)
    return [question(ctx, first)]


@feature.command(
    "start",
    topic=Topic.ACCOUNT,
    description=N_("Meet the bot and set up your profile"),
    args=[ArgSpec("payload", ArgKind.WORD, N_("Link payload"), required=False)],
)
async def start(ctx: CommandContext, payload: str | None = None) -> list[Reply]:
    payload = payload
    if payload:
        handler = ctx.registry.deep_link(payload)
        if handler is not None:
            return list(await handler(ctx, payload))
    greeting = ctx.reply(
        line(bold(ctx._("Welcome to Champions Bot, {name}!", name=ctx.member.display_name))),
        ctx._(
            "I connect the champions of {community}: ask peers for advice, find resources "
            "from the Knowledge Hub, and never miss a webinar.",
            community=ctx.community.name,
        ),
    )
    if ctx.member.onboarded:
        return [
            greeting,
            ctx.reply(ctx._("Your profile is ready. Type /help to begin.")),
        ]
    intro = ctx._("Let's set up your profile. It takes a minute.")
    if not _private(ctx):
        greeting = ctx.reply(
            line(bold(ctx._("Welcome to Champions Bot, {name}!", name=ctx.member.display_name))),
            ctx._("I sent you a private message to set up your profile."),
        )
    return [
        greeting,
        ctx.reply(intro, destination=Destination.PRIVATE),
        *await _begin_onboarding(ctx),
    ]


def _next_step(ctx: CommandContext, current: str) -> str | None:
    names = [field.name for field in FIELDS]
    for name in names[names.index(current) + 1 :]:
        if name == "region" and not needs_region_question(ctx.member):
            continue
        return name
    return None


@feature.flow(ONBOARDING)
async def onboarding_answer(ctx: CommandContext) -> list[Reply]:
    step = str(ctx.data["step"])
    answer = str(ctx.data["answer"])
    replies: list[Reply] = []
    if not is_skip(answer):
        note = set_field(ctx.member, step, answer, ctx.translator, ctx.now)
        if note:
            replies.append(ctx.reply(note, destination=Destination.PRIVATE))
    following = _next_step(ctx, step)
    if following is None:
        ctx.member.onboarded = True
        await ctx.end_conversation()
        done = Translator(ctx.member.language or ctx.translator.language)
        replies.append(
            ctx.reply(
                line(bold(done.gettext("Your profile is saved. Thank you!"))),
                done.gettext("Type /help to see what I can do."),
                destination=Destination.PRIVATE,
            )
        )
        return replies
    await ctx.ask_next(ONBOARDING, following, private=True)
    replies.append(question(ctx, following))
    return replies


@feature.command(
    "profile",
    featured=True,
    description=N_("Show your profile, or a member's profile"),
    args=[
        ArgSpec(
            "member",
            ArgKind.MEMBER,
            N_("A name, @username or #number"),
            required=False,
            max_length=100,
        )
    ],
)
async def show_profile(ctx: CommandContext, member: str | None = None) -> Reply:
    """One's own profile is personal (only its owner reads it, with what only they see);
    another member's public card is for whoever is there."""
    from bot.features.calls.recognition import of_member, profile_line  # a feature cycle

    name = member
    if not name:
        card = profile_card(ctx.member, ctx.translator, private=True)
        tip = line(ctx._("Change a field with /profile set <field> <value>."))
        shown = profile_line(await of_member(ctx.uow, ctx.member, ctx.now), ctx.translator)
        extra = [shown] if shown is not None else []
        return ctx.reply(*card.blocks, *extra, tip, destination=Destination.PERSONAL)
    found = await find_member(ctx.uow, name, await profile_scope(ctx), ctx.translator)
    shown = profile_line(await of_member(ctx.uow, found, ctx.now), ctx.translator)
    extra = [shown] if shown is not None else []
    return ctx.reply(*profile_card(found, ctx.translator, private=False).blocks, *extra)


@feature.command(
    "profile",
    "set",
    description=N_("Change one field of your profile"),
    args=[
        ArgSpec("field", ArgKind.CHOICE, N_("Field to change"), choices=FIELD_CHOICES),
        ArgSpec("value", ArgKind.TEXT, N_("New value"), max_length=1000),
    ],
)
async def set_profile_field(ctx: CommandContext, field: str, value: str) -> Reply:
    note = set_field(ctx.member, field, value, ctx.translator, ctx.now)
    translator = Translator(ctx.member.language or ctx.translator.language)
    blocks: list[Any] = [translator.gettext("Saved.")]
    if note:
        blocks.append(note)
    return Reply.text(*blocks, destination=Destination.EPHEMERAL)


@feature.command("profile", "edit", description=N_("Go through your profile step by step"))
async def edit_profile(ctx: CommandContext) -> list[Reply]:
    return await _begin_onboarding(ctx)


@feature.command(
    "language",
    topic=Topic.ACCOUNT,
    featured=True,
    description=N_("Choose the language I use with you"),
    args=[ArgSpec("language", ArgKind.LANGUAGE, N_("en, fr, es or ar"))],
)
async def set_language(ctx: CommandContext, language: str) -> Reply:
    ctx.member.language = language
    ctx.member.language_chosen = True
    ctx.member.updated_at = ctx.now
    translator = Translator(language)
    return Reply.text(
        translator.gettext(
            "From now on I will write to you in {language}.",
            language=translator.language_name(language),
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "timezone",
    topic=Topic.ACCOUNT,
    featured=True,
    description=N_("Set your time zone"),
    args=[
        ArgSpec(
            "zone", ArgKind.TIMEZONE, N_("Your city, country or time zone"), suggest="timezones"
        )
    ],
)
async def set_timezone(ctx: CommandContext, zone: str) -> Reply:
    ctx.member.timezone = zone
    ctx.member.updated_at = ctx.now
    local = ctx.translator.format_datetime(ctx.now, zone, show_zone=False)  # zone said just before
    return ctx.reply(
        ctx._(
            "Your time zone is now {zone}. It is {time} there.",
            zone=describe_zone(zone, ctx.translator),
            time=local,
        ),
        destination=Destination.EPHEMERAL,
    )
