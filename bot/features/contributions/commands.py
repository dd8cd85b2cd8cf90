"""/share (a champion shares a resource), /share edit, /share mine, and the admins' /review."""

from __future__ import annotations

from typing import Any

from bot.config import AdminsConfig
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, PlaceKind, Platform, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, code, italic, line
from bot.core.topics import Topic
from bot.features.contributions import checks, share_files
from bot.features.contributions import service as review
from bot.features.contributions.queue_notice import tell_admins
from bot.features.contributions.sharing import (
    TAG_HELP,
    Share,
    catalogue_values,
    edited_share,
    read_share,
)
from bot.features.hub.service import HubService
from bot.features.profiles.service import clean_text
from storage.models_contributions import Contribution
from storage.statuses import ContributionKind, ContributionStatus

feature = Feature("contributions", topic=Topic.CONTRIBUTIONS)

REASON_FLOW = "contribution_reason"
SHARE_FLOW = "contribution_share"
ID_ARG = ArgSpec("id", ArgKind.INTEGER, N_("Contribution number"))
REASON_ARG = ArgSpec(
    "reason",
    ArgKind.TEXT,
    N_("Why (the contributor reads it)"),
    required=False,
    max_length=1000,
    long=True,
)


async def _catalogue(ctx: CommandContext) -> Any:
    return await ctx.services[HubService].index(ctx.uow)


async def _duplicate_error(ctx: CommandContext, share: Share, exclude: int | None) -> None:
    index = await _catalogue(ctx)
    found = await checks.find_duplicate(
        ctx.uow,
        [(d.id, d.title) for d in index.docs],
        url=share.url,
        title=share.title,
        exclude=exclude,
    )
    if found is None:
        return
    if found.where == "catalogue":
        raise UserFacingError(
            N_(
                "Thank you, but the Knowledge Hub already has it: #{id} {title}. "
                "Find it with /resources #{id}."
            ),
            id=found.id,
            title=found.title,
        )
    raise UserFacingError(
        N_("Thank you, but someone already shared it; it is waiting for review: {title}."),
        title=found.title,
    )


async def _suggested(ctx: CommandContext, share: Share) -> list[str]:
    index = await _catalogue(ctx)
    similar = [hit.doc.themes for hit in index.search(share.title, limit=3).hits]
    return checks.suggest_themes(f"{share.title} {share.summary}", similar)


@feature.command(
    "share",
    featured=True,
    description=N_("Share a resource with the Knowledge Hub (an admin reviews it)"),
    args=[
        ArgSpec(
            "link",
            ArgKind.WORD,
            N_("Link to the resource (https://…)"),
            required=False,
            max_length=1000,
            long=True,
        ),
        ArgSpec(
            "details",
            ArgKind.TEXT,
            N_("Title, then theme: type: lang: region: if you like"),
            required=False,
            max_length=1500,
            long=True,
        ),
    ],
    audience=Audience.CHAMPION,
    file=N_("A document to share instead of a link (PDF, Word, Excel...)"),
)
async def share(ctx: CommandContext, link: str | None = None, details: str | None = None) -> Reply:
    if not link and not details and ctx.request.upload is None:
        private = ctx.request.place.kind is PlaceKind.PRIVATE
        if private:  # the next message, a link or a file, is the share
            await ctx.ask_next(SHARE_FLOW, "item", private=True)
        return ctx.reply(
            line(bold(ctx._("Share a resource with the network"))),
            ctx._("Type /share, the link, then the title, for example:"),
            line(code("/share https://example.org/guide A guide to gender budgeting lang:en")),
            ctx._(TAG_HELP),
            ctx._("To share a file, send it with /share and its title as the caption.")
            if ctx.request.place.platform is not Platform.CONSOLE
            else ctx._("The console takes links only: share files from Telegram or Discord."),
            *([line(ctx._("Or send me the link or the file now."))] if private else []),
            ctx._("An admin reviews it; I tell you the outcome privately."),
            destination=Destination.EPHEMERAL,
        )
    return await _submit(ctx, link, details)


@feature.flow(SHARE_FLOW, takes_files=True)
async def share_given(ctx: CommandContext) -> Reply:
    """The link or the file sent after ``/share`` alone."""
    reply = await _submit(ctx, None, str(ctx.data["answer"]))
    await ctx.end_conversation()
    return reply


async def _submit(ctx: CommandContext, link: str | None, details: str | None) -> Reply:
    upload = ctx.request.upload
    shared = read_share(link, details, upload.filename if upload else None)
    stored = await share_files.checked_file(ctx, upload) if upload else None
    if stored is not None:
        shared.url = stored[2]
    await _duplicate_error(ctx, shared, None)
    given_themes = bool(shared.themes)
    suggested = await _suggested(ctx, shared)
    if not shared.themes:
        shared.themes = suggested
    if not shared.languages:
        shared.languages = [ctx.translator.language]
    values = catalogue_values(shared, "contribution")
    contribution = await ctx.uow.contributions.add(
        Contribution(
            kind=ContributionKind.RESOURCE,
            community_id=ctx.community.id,
            contributor_member_id=ctx.member.id,
            status=ContributionStatus.PENDING,
            title=values["title"],
            title_key=checks.title_key(values["title"]),
            url=values["url"],
            url_key=checks.url_key(values["url"]),
            summary=values["summary"],
            type=values["type"],
            themes=values["themes"],
            regions=values["regions"],
            languages=values["languages"],
            written_in=ctx.translator.language,
            created_at=ctx.now,
            submitted_at=ctx.now,
            updated_at=ctx.now,
        )
    )
    kept = await share_files.keep(ctx, contribution, stored[0], stored[1]) if stored else None
    await tell_admins(
        ctx.uow, contribution, ctx.member, ctx.services[AdminsConfig], again=False, now=ctx.now
    )
    blocks: list[Any] = [
        line(
            bold(
                ctx._("Thank you! Your resource #{id} is in the review queue.", id=contribution.id)
            )
        ),
        *([review.file_line(kept, ctx.translator)] if kept else []),
        *review.facts(contribution, ctx.translator),
    ]
    if not given_themes and suggested:
        blocks.append(line(ctx._("I chose the themes from your text.")))
    elif given_themes:
        extra = [c for c in suggested if c not in contribution.themes]
        if extra:
            blocks.append(
                line(
                    ctx._(
                        "You might also add: {themes}.",
                        themes=review.labels("theme", extra, ctx.translator),
                    )
                )
            )
    blocks.append(
        line(
            ctx._(
                "To change anything before the review: /share edit {id} theme:… type:…",
                id=contribution.id,
            )
        )
    )
    return ctx.reply(*blocks, destination=Destination.EPHEMERAL)


async def _own(ctx: CommandContext, contribution_id: int, kind: ContributionKind) -> Contribution:
    found = await ctx.uow.contributions.get(contribution_id)
    if found is None or found.contributor_member_id != ctx.member.id or found.kind is not kind:
        raise NotFoundError(N_("You have no contribution #{id}."), id=contribution_id)
    if found.status not in review.EDITABLE:
        raise UserFacingError(
            N_("Contribution #{id} can no longer be changed (it is {status})."),
            id=contribution_id,
            status=ctx._(review.STATUS_LABELS[found.status]),
        )
    return found


@feature.command(
    "share",
    "edit",
    description=N_("Change a resource you shared and send it back for review"),
    args=[
        ID_ARG,
        ArgSpec(
            "details",
            ArgKind.TEXT,
            N_("New link, title or theme: type: lang: region:"),
            max_length=1500,
            long=True,
        ),
    ],
    audience=Audience.CHAMPION,
)
async def edit_share(ctx: CommandContext, id: int, details: str) -> Reply:
    contribution = await _own(ctx, id, ContributionKind.RESOURCE)
    current = Share(
        url=contribution.url,
        title=contribution.title,
        summary=contribution.summary,
        type=contribution.type,
        themes=list(contribution.themes),
        regions=list(contribution.regions),
        languages=list(contribution.languages),
    )
    given = edited_share(details, contribution.title, contribution.url)
    changed = Share(
        url=given.url or current.url,
        title=given.title or current.title,
        summary=given.summary or current.summary,
        type=given.type or current.type,
        themes=given.themes or current.themes,
        regions=given.regions or current.regions,
        languages=given.languages or current.languages,
    )
    await _duplicate_error(ctx, changed, contribution.id)
    if changed.url != contribution.url:  # a link now stands for the file: it goes
        await ctx.uow.shared_files.drop_of_contribution(contribution.id)
    values = catalogue_values(changed, "contribution")
    for name in ("title", "url", "summary", "type", "themes", "regions", "languages"):
        setattr(contribution, name, values[name])
    contribution.title_key = checks.title_key(values["title"])
    contribution.url_key = checks.url_key(values["url"])
    contribution.status = ContributionStatus.PENDING
    contribution.submitted_at = ctx.now
    contribution.updated_at = ctx.now
    await tell_admins(
        ctx.uow, contribution, ctx.member, ctx.services[AdminsConfig], again=True, now=ctx.now
    )
    return ctx.reply(
        line(bold(ctx._("Resource #{id} is updated and back in the review queue.", id=id))),
        *review.facts(contribution, ctx.translator),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "share",
    "mine",
    description=N_("Your shared resources and good practices, and where they stand"),
    audience=Audience.CHAMPION,
)
async def my_contributions(ctx: CommandContext) -> Reply:
    mine = await ctx.uow.contributions.of_member(ctx.member.id)
    if not mine:
        return ctx.reply(
            ctx._("You have not shared anything yet. Try /share or /practice."),
            destination=Destination.PERSONAL,
        )
    blocks: list[Any] = [line(bold(ctx._("Your contributions")))]
    for item in mine:
        blocks.append(
            line(
                code(f"#{item.id}"),
                " ",
                item.title or "…",
                " · ",
                italic(ctx._(review.STATUS_LABELS[item.status])),
            )
        )
        if item.review_note and item.status is not ContributionStatus.APPROVED:
            blocks.append(line(italic(ctx._("Reason: {reason}", reason=item.review_note))))
    return ctx.reply(*blocks, destination=Destination.PERSONAL)


# review ---------------------------------------------------------------------------------


@feature.command(
    "review",
    description=N_("Contributions waiting for review"),
    audience=Audience.ADMIN,
)
async def review_queue(ctx: CommandContext) -> list[Reply]:
    community = None if ctx.is_global_admin else ctx.community.id
    waiting = await ctx.uow.contributions.queue(community)
    if not waiting:
        return [
            ctx.reply(ctx._("Nothing is waiting for review."), destination=Destination.PERSONAL)
        ]
    return await review.queue_cards(ctx, waiting[:10])


@feature.command(
    "review",
    "approve",
    description=N_("Approve a contribution (a resource enters the Knowledge Hub)"),
    args=[ID_ARG],
    audience=Audience.ADMIN,
)
async def approve(ctx: CommandContext, id: int) -> Reply:
    contribution = await review.reviewed(ctx, id)
    await review.approve(ctx, contribution)
    if contribution.resource_id is not None:
        text = ctx._(
            "Contribution #{id} is approved: resource #{resource} is in the Knowledge Hub.",
            id=id,
            resource=contribution.resource_id,
        )
    else:
        text = ctx._("Contribution #{id} is approved.", id=id)
    return ctx.reply(text, destination=Destination.EPHEMERAL)


async def _send_back(
    ctx: CommandContext, id: int, reason: str | None, status: ContributionStatus
) -> Reply:
    contribution = await review.reviewed(ctx, id)
    if not reason:
        action = "change" if status is ContributionStatus.CHANGES_REQUESTED else "decline"
        await ctx.ask_next(REASON_FLOW, action, {"id": contribution.id}, private=True)
        return ctx.reply(
            ctx._("Why? Write the reason in one message: the contributor will read it."),
            ctx._("Type /cancel to stop: nothing is changed."),
            destination=Destination.PRIVATE,
        )
    text = clean_text(reason, limit=1000, what="reason")
    await review.send_back(ctx, contribution, status, text)
    if status is ContributionStatus.CHANGES_REQUESTED:
        answer = ctx._("Contribution #{id} went back to its author for a change.", id=id)
    else:
        answer = ctx._("Contribution #{id} is declined.", id=id)
    return ctx.reply(answer, destination=Destination.EPHEMERAL)


@feature.command(
    "review",
    "change",
    description=N_("Ask the contributor for a change"),
    args=[ID_ARG, REASON_ARG],
    audience=Audience.ADMIN,
)
async def ask_change(ctx: CommandContext, id: int, reason: str | None = None) -> Reply:
    return await _send_back(ctx, id, reason, ContributionStatus.CHANGES_REQUESTED)


@feature.command(
    "review",
    "decline",
    description=N_("Decline a contribution, with a reason"),
    args=[ID_ARG, REASON_ARG],
    audience=Audience.ADMIN,
)
async def decline(ctx: CommandContext, id: int, reason: str | None = None) -> Reply:
    return await _send_back(ctx, id, reason, ContributionStatus.DECLINED)


@feature.flow(REASON_FLOW)
async def reason_given(ctx: CommandContext) -> Reply:
    step, values, text = ctx.data["step"], ctx.data["values"], str(ctx.data["answer"])
    status = (
        ContributionStatus.CHANGES_REQUESTED if step == "change" else ContributionStatus.DECLINED
    )
    reply = await _send_back(ctx, int(values["id"]), text, status)
    await ctx.end_conversation()
    return reply
