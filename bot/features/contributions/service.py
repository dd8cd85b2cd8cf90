"""The review queue: what a contribution looks like to an admin, what each decision does,
and how the contributor hears of it (privately, in her language, through the outbox)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import Block, Link, bold, code, doc, italic, line
from bot.delivery import outbox
from bot.features.contributions.files import human_size
from bot.features.contributions.practice import SECTIONS, section_label
from bot.features.contributions.share_files import review_attachment
from bot.features.hub import taxonomy
from bot.features.hub.admin_commands import add_to_catalogue
from bot.features.profiles.lookup import private_recipient
from storage.models import Member
from storage.models_contributions import Contribution, SharedFile
from storage.statuses import ContributionKind, ContributionStatus
from storage.unit_of_work import UnitOfWork

OUTCOME_KIND = "contribution.outcome"
REVIEWABLE = (ContributionStatus.PENDING,)
EDITABLE = (ContributionStatus.PENDING, ContributionStatus.CHANGES_REQUESTED)
STATUS_LABELS = {
    ContributionStatus.DRAFT: N_("being written"),
    ContributionStatus.PENDING: N_("waiting for review"),
    ContributionStatus.CHANGES_REQUESTED: N_("a change was asked"),
    ContributionStatus.APPROVED: N_("approved"),
    ContributionStatus.DECLINED: N_("declined"),
}
KIND_LABELS = {
    ContributionKind.RESOURCE: N_("Resource"),
    ContributionKind.PRACTICE: N_("Good practice"),
}


def labels(kind: str, codes: list[str], t: Translator) -> str:
    """Taxonomy codes as the reader's labels (``—`` when none)."""
    return t.format_list([t.gettext(taxonomy.label_of(kind, c)) for c in codes]) or "—"


def language_names(codes: list[str], t: Translator) -> str:
    names = []
    for code_ in codes:
        term = taxonomy.term("lang", code_)
        names.append(term.synonyms.get(t.language, (term.label,))[0] if term else code_)
    return t.format_list(names) or "—"


def facts(contribution: Contribution, t: Translator) -> list[Block]:
    """The tags of a share, in the reader's language."""
    return [
        line(
            italic(
                t.gettext(
                    "Type: {type}", type=t.gettext(taxonomy.label_of("type", contribution.type))
                )
            )
        ),
        line(italic(t.gettext("Themes: {themes}", themes=labels("theme", contribution.themes, t)))),
        line(
            italic(
                t.gettext(
                    "Language: {languages} · Region: {regions}",
                    languages=language_names(contribution.languages, t),
                    regions=labels("region", contribution.regions, t),
                )
            )
        ),
    ]


def file_line(shared: SharedFile, t: Translator) -> Block:
    """``File: guide.pdf (2.4 MB)``: a share that is a file, as its card shows it."""
    return line(
        bold(t.gettext("File: {name}", name=shared.filename)),
        f" ({human_size(shared.size)})",
    )


def body(
    contribution: Contribution, t: Translator, shared: SharedFile | None = None
) -> list[Block]:
    """What the contribution says: a share's link (or file) and tags, a write-up's parts."""
    blocks: list[Block] = [
        line(
            bold(t.gettext(KIND_LABELS[contribution.kind])),
            " ",
            code(f"#{contribution.id}"),
            " ",
            bold(contribution.title or "…"),
        )
    ]
    if contribution.kind is ContributionKind.RESOURCE:
        if shared is not None:  # not served before approval: the card carries the file
            blocks.append(file_line(shared, t))
        elif contribution.url:
            blocks.append(line(Link(contribution.url, contribution.url)))
        if contribution.summary:
            blocks.append(line(contribution.summary))
        blocks.extend(facts(contribution, t))
        return blocks
    for name in SECTIONS:
        text = str(contribution.sections.get(name) or "")
        if text:
            blocks.append(line(bold(t.gettext(section_label(name)) + t.colon), text[:600]))
    return blocks


async def queue_cards(ctx: CommandContext, waiting: Sequence[Contribution]) -> list[Reply]:
    """The cards of ``/review``: their authors and files read in one statement each."""
    authors = await ctx.uow.members.by_ids([c.contributor_member_id for c in waiting])
    files = await ctx.uow.shared_files.of_contributions([c.id for c in waiting], with_data=True)
    return [
        queue_card(ctx, c, authors.get(c.contributor_member_id), files.get(c.id)) for c in waiting
    ]


def queue_card(
    ctx: CommandContext,
    contribution: Contribution,
    member: Member | None,
    shared: SharedFile | None,
) -> Reply:
    """One contribution in /review, with the three decisions as buttons."""
    by = ctx._("Contributed by {name}", name=member.display_name if member else "?")
    buttons = (
        (
            Button(ctx._("Approve it"), f"review approve {contribution.id}"),
            Button(ctx._("Ask for a change"), f"review change {contribution.id}"),
            Button(ctx._("Decline it"), f"review decline {contribution.id}"),
        ),
    )
    return ctx.reply(
        *body(contribution, ctx.translator, shared),
        line(italic(by)),
        buttons=buttons,
        attachments=review_attachment(shared) if shared is not None else (),
        destination=Destination.PERSONAL,  # not published yet: never in a group
    )


async def reviewed(ctx: CommandContext, contribution_id: int) -> Contribution:
    """The contribution an admin acts on: of a community they administer, still pending."""
    missing = NotFoundError(N_("There is no contribution #{id} to review."), id=contribution_id)
    found = ctx.administered(await ctx.uow.contributions.get(contribution_id), missing)
    if found.status not in REVIEWABLE:
        raise UserFacingError(
            N_("Contribution #{id} is not waiting for review (it is {status})."),
            id=contribution_id,
            status=ctx._(STATUS_LABELS[found.status]),
        )
    return found


def _decide(
    ctx: CommandContext, contribution: Contribution, status: ContributionStatus, note: str | None
) -> None:
    contribution.status = status
    contribution.review_note = note
    contribution.reviewed_by_member_id = ctx.member.id
    contribution.reviewed_at = ctx.now
    contribution.updated_at = ctx.now


async def approve(ctx: CommandContext, contribution: Contribution) -> None:
    """Approve: a share enters the catalogue (searchable at once); a write-up is published
    in the exports if its author consents."""
    if contribution.kind is ContributionKind.RESOURCE:
        values = {
            "title": contribution.title,
            "summary": contribution.summary,
            "url": contribution.url,
            "type": contribution.type,
            "themes": list(contribution.themes),
            "regions": list(contribution.regions),
            "languages": list(contribution.languages),
            "source": f"contribution #{contribution.id}",
        }
        resource = await add_to_catalogue(ctx, values, contribution.community_id)
        contribution.resource_id = resource.id
        # a shared file is served from now on, and is the hub's (no longer hers)
        await ctx.uow.shared_files.approve(contribution.id, resource.id, ctx.now)
    _decide(ctx, contribution, ContributionStatus.APPROVED, None)
    await ctx.audit(
        "contribution.approve",
        within=contribution.community_id,
        contribution_id=contribution.id,
        kind=contribution.kind.value,
        member_id=contribution.contributor_member_id,
        resource_id=contribution.resource_id,
    )
    await tell_contributor(ctx.uow, contribution, ctx.now)


async def send_back(
    ctx: CommandContext, contribution: Contribution, status: ContributionStatus, reason: str
) -> None:
    """Ask for a change, or decline; the reason goes to the contributor and to the audit."""
    _decide(ctx, contribution, status, reason)
    action = "change" if status is ContributionStatus.CHANGES_REQUESTED else "decline"
    if status is ContributionStatus.DECLINED:  # never served: not kept
        await ctx.uow.shared_files.drop_of_contribution(contribution.id)
    await ctx.audit(
        f"contribution.{action}",
        within=contribution.community_id,
        contribution_id=contribution.id,
        kind=contribution.kind.value,
        member_id=contribution.contributor_member_id,
        reason=reason,
    )
    await tell_contributor(ctx.uow, contribution, ctx.now)


def outcome_reply(contribution: Contribution, t: Translator) -> Reply:
    """The private note telling the contributor what the admins decided, in her language."""
    title = contribution.title or "…"
    blocks: list[Any] = []
    if contribution.status is ContributionStatus.APPROVED:
        if contribution.kind is ContributionKind.RESOURCE:
            blocks.append(
                line(
                    bold(
                        t.gettext(
                            "Your resource “{title}” is approved: it is in the Knowledge Hub "
                            "now, credited to you.",
                            title=title,
                        )
                    )
                )
            )
        else:
            blocks.append(
                line(bold(t.gettext("Your good practice “{title}” is approved.", title=title)))
            )
        blocks.append(line(t.gettext("Thank you for sharing it with the network.")))
    elif contribution.status is ContributionStatus.CHANGES_REQUESTED:
        blocks.append(
            line(bold(t.gettext("The admins ask for a change to “{title}”.", title=title)))
        )
        blocks.append(line(italic(contribution.review_note or "")))
        if contribution.kind is ContributionKind.RESOURCE:
            hint = t.gettext(
                "Change it with /share edit {id} and the new values, e.g. "
                "/share edit {id} theme:quotas — it goes back to the review queue.",
                id=contribution.id,
            )
        else:
            hint = t.gettext(
                "Type /practice edit {id} to change it; it goes back to the review queue.",
                id=contribution.id,
            )
        blocks.append(line(hint))
    else:
        blocks.append(
            line(bold(t.gettext("Your contribution “{title}” was declined.", title=title)))
        )
        blocks.append(
            line(italic(t.gettext("Reason: {reason}", reason=contribution.review_note or "")))
        )
    return Reply(body=doc(*blocks), destination=Destination.PRIVATE, rtl=t.rtl)


async def tell_contributor(uow: UnitOfWork, contribution: Contribution, now: datetime) -> bool:
    """Queue the outcome to the contributor privately; once per decision (the key holds its
    time), so a retried update never tells her twice."""
    member: Member | None = await uow.members.get(contribution.contributor_member_id)
    recipient = private_recipient(member) if member else None
    if member is None or recipient is None:
        return False
    community = await uow.communities.get(contribution.community_id)
    language = member.language or (community.default_language if community else "en")
    translator = Translator(language)
    stamp = contribution.reviewed_at.isoformat() if contribution.reviewed_at else now.isoformat()
    key = f"contribution:{contribution.id}:{contribution.status.value}:{stamp}"
    message = outbox.message(
        key,
        OUTCOME_KIND,
        recipient,
        outcome_reply(contribution, translator),
        now,
        member_id=member.id,
        community_id=contribution.community_id,
        contribution_id=contribution.id,
    )
    return await outbox.enqueue(uow, [message], now=now) > 0
