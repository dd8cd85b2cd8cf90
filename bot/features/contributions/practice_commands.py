"""/practice: write up a good practice in a guided chat, one part per message.

Each answer is stored at once in the draft (``contributions``, status ``draft``) and the step
in the conversation row, so a restart loses nothing: the next message continues where it was,
and ``/practice`` alone resumes the draft at its first unanswered part. "back" and "skip" (in
the four languages, or the buttons) move between parts. At the end the author is asked
whether the practice may be published; only then is it queued for review.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.config import AdminsConfig
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.collector import collector_paused
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError, UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Attachment, Button, Destination, Reply
from bot.core.reading import fold
from bot.core.registry import Audience
from bot.core.richtext import bold, italic, line
from bot.core.router import ANSWER_PREFIX
from bot.features.admin.exports import EXTENSIONS, MIME_TYPES, ExportFormat
from bot.features.contributions import exports
from bot.features.contributions import service as review
from bot.features.contributions.checks import title_key
from bot.features.contributions.commands import feature
from bot.features.contributions.practice import (
    BACK_WORDS,
    REQUIRED,
    SECTIONS,
    SKIP_WORDS,
    first_missing,
    limit_of,
    next_section,
    previous_section,
    question_of,
)
from bot.features.contributions.queue_notice import tell_admins
from bot.features.profiles.service import clean_text, parse_yes_no
from storage.models_contributions import Contribution
from storage.statuses import ContributionKind, ContributionStatus

PRACTICE_FLOW = "practice"
CONSENT = "consent"
YES_NO = (Choice("yes", N_("yes, publish it")), Choice("no", N_("no, do not publish it")))
FORMATS = tuple(Choice(f.value, f.value) for f in ExportFormat)


def _ask(ctx: CommandContext, step: str, draft: Contribution) -> Reply:
    """The question of ``step``, with what is already written and the back/skip buttons."""
    number = SECTIONS.index(step) + 1
    blocks: list[Any] = [
        line(italic(ctx._("Step {number} of {total}", number=number, total=len(SECTIONS)))),
        line(bold(ctx._(question_of(step)))),
    ]
    current = str(draft.sections.get(step) or "")
    if current:
        blocks.append(line(italic(ctx._("Now: {text}", text=current[:300]))))
    blocks.append(line(ctx._("Type back, skip, or /cancel to stop (your draft is kept).")))
    row: list[Button] = []
    if number > 1:
        row.append(Button(ctx._("Previous part"), ANSWER_PREFIX + "back"))
    if step not in REQUIRED or current:
        row.append(Button(ctx._("Skip this part"), ANSWER_PREFIX + "skip"))
    return ctx.reply(*blocks, buttons=(tuple(row),) if row else (), destination=Destination.PRIVATE)


def _ask_consent(ctx: CommandContext) -> Reply:
    return ctx.reply(
        line(
            bold(
                ctx._(
                    "May the network publish this practice, with your name, on the hub "
                    "website and in the newsletter?"
                )
            )
        ),
        ctx._("You can withdraw this at any time with /practice consent."),
        buttons=(
            (
                Button(ctx._("Yes, publish it"), ANSWER_PREFIX + "yes"),
                Button(ctx._("No, only for review"), ANSWER_PREFIX + "no"),
            ),
        ),
        destination=Destination.PRIVATE,
    )


async def _go(ctx: CommandContext, draft: Contribution, step: str) -> Reply:
    await ctx.ask_next(PRACTICE_FLOW, step, {"id": draft.id}, private=True)
    return _ask_consent(ctx) if step == CONSENT else _ask(ctx, step, draft)


@feature.command(
    "practice",
    featured=True,
    description=N_("Write up a good practice, step by step (an admin reviews it)"),
    audience=Audience.CHAMPION,
)
async def practice(ctx: CommandContext) -> list[Reply]:
    draft = await ctx.uow.contributions.draft_practice(ctx.member.id)
    intro: list[Reply] = []
    if draft is None:
        draft = await ctx.uow.contributions.add(
            Contribution(
                kind=ContributionKind.PRACTICE,
                community_id=ctx.community.id,
                contributor_member_id=ctx.member.id,
                status=ContributionStatus.DRAFT,
                written_in=ctx.translator.language,
                sections={},
                created_at=ctx.now,
                updated_at=ctx.now,
            )
        )
        intro.append(
            ctx.reply(
                line(bold(ctx._("Let's write up your good practice."))),
                ctx._(
                    "I ask one thing per message: context, challenge, what was done, "
                    "results, what did not work, lessons, contact. Each answer is saved "
                    "at once."
                ),
                destination=Destination.PRIVATE,
            )
        )
    else:
        intro.append(
            ctx.reply(
                ctx._("Welcome back: let's continue your draft."), destination=Destination.PRIVATE
            )
        )
    step = first_missing(draft.sections) or CONSENT
    return [*intro, await _go(ctx, draft, step)]


@feature.flow(PRACTICE_FLOW)
async def practice_answer(ctx: CommandContext) -> list[Reply]:
    step, values, text = str(ctx.data["step"]), ctx.data["values"], str(ctx.data["answer"])
    draft = await ctx.uow.contributions.get(int(values["id"]))
    if draft is None or draft.contributor_member_id != ctx.member.id:
        await ctx.end_conversation()
        raise NotFoundError(N_("This draft is gone. Type /practice to start again."))
    word = "-" if text.strip() == "-" else fold(text)  # "Atrás", "RETOUR", "تخطّي"
    if step == CONSENT:
        if word in BACK_WORDS:
            return [await _go(ctx, draft, SECTIONS[-1])]
        return await _submit(ctx, draft, parse_yes_no(text))
    if word in BACK_WORDS:
        return [await _go(ctx, draft, previous_section(step))]
    sections = dict(draft.sections)
    if word in SKIP_WORDS:
        if step in REQUIRED and not sections.get(step):
            raise UsageError(N_("This part is needed: please write a few words."))
        sections.setdefault(step, "")
    else:
        sections[step] = clean_text(text, limit=limit_of(step), what=step)
    draft.sections = sections
    if step == "title":
        draft.title = str(sections["title"])
        draft.title_key = title_key(draft.title)
    draft.updated_at = ctx.now
    following = next_section(step) or CONSENT
    return [await _go(ctx, draft, following)]


async def _submit(ctx: CommandContext, draft: Contribution, consent: bool) -> list[Reply]:
    again = draft.submitted_at is not None
    draft.publish_consent = consent
    draft.consent_at = ctx.now
    draft.status = ContributionStatus.PENDING
    draft.submitted_at = ctx.now
    draft.updated_at = ctx.now
    await tell_admins(
        ctx.uow, draft, ctx.member, ctx.services[AdminsConfig], again=again, now=ctx.now
    )
    await ctx.end_conversation()
    blocks: list[Any] = [
        line(
            bold(ctx._("Thank you! Your good practice #{id} is in the review queue.", id=draft.id))
        )
    ]
    if consent:
        blocks.append(line(ctx._("Once approved, it may be published with your name.")))
    else:
        blocks.append(line(ctx._("It will not be published; the admins will still read it.")))
    return [ctx.reply(*blocks, destination=Destination.PRIVATE)]


async def _own(ctx: CommandContext, contribution_id: int) -> Contribution:
    found = await ctx.uow.contributions.get(contribution_id)
    if (
        found is None
        or found.contributor_member_id != ctx.member.id
        or found.kind is not ContributionKind.PRACTICE
    ):
        raise NotFoundError(N_("You have no good practice #{id}."), id=contribution_id)
    return found


@feature.command(
    "practice",
    "edit",
    description=N_("Change a good practice you wrote and send it back for review"),
    args=[ArgSpec("id", ArgKind.INTEGER, N_("Good practice number"))],
    audience=Audience.CHAMPION,
)
async def edit_practice(ctx: CommandContext, id: int) -> list[Reply]:
    found = await _own(ctx, id)
    if found.status not in review.EDITABLE:
        raise UserFacingError(
            N_("Contribution #{id} can no longer be changed (it is {status})."),
            id=id,
            status=ctx._(review.STATUS_LABELS[found.status]),
        )
    if await ctx.uow.contributions.draft_practice(ctx.member.id) is not None:
        raise UserFacingError(N_("Finish or drop your current draft first: type /practice."))
    found.status = ContributionStatus.DRAFT
    found.updated_at = ctx.now
    return [
        ctx.reply(ctx._("Type skip to keep a part as it is."), destination=Destination.PRIVATE),
        await _go(ctx, found, SECTIONS[0]),
    ]


@feature.command(
    "practice",
    "consent",
    description=N_("Allow or withdraw publication of a good practice you wrote"),
    args=[
        ArgSpec("id", ArgKind.INTEGER, N_("Good practice number")),
        ArgSpec("publish", ArgKind.CHOICE, N_("Publish it?"), choices=YES_NO),
    ],
    audience=Audience.CHAMPION,
)
async def consent(ctx: CommandContext, id: int, publish: str) -> Reply:
    found = await _own(ctx, id)
    found.publish_consent = publish == "yes"
    found.consent_at = ctx.now
    found.updated_at = ctx.now
    if found.publish_consent:
        text = ctx._("Good practice #{id} may be published once approved.", id=id)
    else:
        text = ctx._("Good practice #{id} will not be published: it leaves the exports.", id=id)
    return ctx.reply(text, destination=Destination.EPHEMERAL)


@feature.command(
    "practice",
    "export",
    description=N_("Approved good practices as a file for the hub website and newsletter"),
    args=[ArgSpec("format", ArgKind.CHOICE, N_("File format"), required=False, choices=FORMATS)],
    audience=Audience.ADMIN,
)
async def export(ctx: CommandContext, format: str | None = None) -> Reply:
    fmt = ExportFormat(format or "markdown")
    community = None if ctx.is_global_admin else ctx.community.id
    with collector_paused():  # thousands of write-ups: see bot/core/collector.py
        rows = await ctx.uow.contributions.publishable_practices(community)
        practices = await exports.public_practices(ctx.uow, rows, ctx.translator)
        # written in a worker thread (plain values only): thousands of write-ups are seconds
        # of CPU that would hold up every member's request in the event loop
        data = await asyncio.to_thread(exports.encoded, practices, fmt, ctx.translator)
    filename = f"{ctx.community.slug}-good-practices-{ctx.now.date().isoformat()}.{EXTENSIONS[fmt]}"
    await ctx.audit("practice.export", format=fmt.value, count=len(practices))
    return Reply(
        body=ctx.reply(
            ctx.ngettext(
                "{count} good practice approved for publication.",
                "{count} good practices approved for publication.",
                len(practices),
            )
        ).body,
        destination=Destination.PRIVATE,
        attachments=(Attachment(filename, data, MIME_TYPES[fmt]),),
        rtl=ctx.translator.rtl,
    )
