"""After an event: the recording goes to attendees, who rate it (/rate) and comment on it
(/comment); admins read the result with /webinar feedback."""

from __future__ import annotations

import hashlib
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import PermissionDeniedError, UsageError
from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import Link, bold, bullets, code, doc, line
from bot.features.events.commands import (
    ADMIN_ONLY,
    ID_ARG,
    _event,
    _managed_event,
    _wake,
    feature,
)
from bot.features.events.input import check_link, clean
from bot.features.events.service import notify_attendees
from storage.models import Event


@feature.command(
    "webinar",
    "recording",
    description=N_("Send the recording to attendees and ask for feedback"),
    args=[ID_ARG, ArgSpec("url", ArgKind.WORD, N_("Recording link"), max_length=500)],
    **ADMIN_ONLY,
)
async def post_recording(ctx: CommandContext, id: int, url: str) -> Reply:
    event = await _managed_event(ctx, id)
    event.recording_url = check_link(url)
    event.updated_at = ctx.now
    await ctx.audit("event.recording", within=event.community_id, event_id=event.id)

    def build(translator: Translator, zone: str) -> Reply:
        _ = translator.gettext
        url = event.recording_url or ""
        rating_row = tuple(Button(str(n), f"rate {event.id} {n}") for n in range(1, 6))
        return Reply(
            body=doc(
                line(bold(_("The recording of “{title}” is ready.", title=event.title))),
                line(Link(url, url)),
                line(_("How useful was it for you? Tap 1 (not useful) to 5 (very useful).")),
                line(_("To add a comment, type "), code(f"/comment {event.id} ..."), "."),
            ),
            buttons=(rating_row,),
            rtl=translator.rtl,
        )

    sent = await notify_attendees(
        ctx.uow,
        event,
        "recording",
        build,
        now=ctx.now,
        wake=_wake(ctx),
        key_suffix=":" + hashlib.sha1(event.recording_url.encode()).hexdigest()[:10],
    )
    return ctx.reply(
        ctx.ngettext(
            "The recording goes to {count} attendee.",
            "The recording goes to {count} attendees.",
            sent,
        ),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "webinar", "feedback", description=N_("See an event's feedback"), args=[ID_ARG], **ADMIN_ONLY
)
async def show_feedback(ctx: CommandContext, id: int) -> Reply:
    event = await _managed_event(ctx, id)
    entries = await ctx.uow.events.feedback(event.id)
    ratings = [entry.rating for entry in entries if entry.rating is not None]
    blocks: list[Any] = [line(bold(ctx._("Feedback on “{title}”", title=event.title)))]
    if not entries:
        blocks.append(ctx._("No feedback yet."))
        return ctx.reply(*blocks, destination=Destination.PERSONAL)
    if ratings:
        average = f"{sum(ratings) / len(ratings):.1f}"
        blocks.append(
            line(
                ctx.ngettext(
                    "{count} rating, average {average} / 5",
                    "{count} ratings, average {average} / 5",
                    len(ratings),
                    average=average,
                )
            )
        )
        blocks.append(line(" · ".join(f"{n}: {ratings.count(n)}" for n in range(1, 6))))
    comments = [entry.comment for entry in entries if entry.comment]
    if comments:
        blocks.append(line(ctx._("Comments:")))
        blocks.append(bullets(comments))
    return ctx.reply(*blocks, destination=Destination.PERSONAL)


async def _attended(ctx: CommandContext, event_id: int) -> Event:
    event = await _event(ctx, event_id)
    if await ctx.uow.events.rsvp(event.id, ctx.member.id) is None:
        raise PermissionDeniedError(
            "Only those who joined event #{id} can give feedback on it.", id=event_id
        )
    return event


@feature.command(
    "rate",
    description=N_("Rate an event from 1 to 5"),
    args=[ID_ARG, ArgSpec("rating", ArgKind.INTEGER, N_("1 to 5"))],
    hidden=True,
)
async def rate_event(ctx: CommandContext, id: int, rating: int) -> Reply:
    if not 1 <= rating <= 5:
        raise UsageError("A rating is a number from 1 to 5.")
    event = await _attended(ctx, id)
    await ctx.uow.events.save_feedback(event.id, ctx.member.id, now=ctx.now, rating=rating)
    return ctx.reply(
        ctx._("Thank you! You rated “{title}” {rating}/5.", title=event.title, rating=rating),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "comment",
    description=N_("Comment on an event you attended"),
    args=[ID_ARG, ArgSpec("text", ArgKind.TEXT, N_("Your comment"), max_length=2000)],
)
async def comment_event(ctx: CommandContext, id: int, text: str) -> Reply:
    event = await _attended(ctx, id)
    await ctx.uow.events.save_feedback(
        event.id, ctx.member.id, now=ctx.now, comment=clean(text, 2000)
    )
    return ctx.reply(
        ctx._("Thank you for your comment on “{title}”.", title=event.title),
        destination=Destination.EPHEMERAL,
    )
