"""``/calendar feed``: a private address to subscribe to once, instead of files to re-import.

The address holds a secret token that is shown once and only ever sent privately; the bot keeps
a hash of it, so it cannot show it again: ``/calendar feed revoke`` gives a new one (and the old
address stops working at once).
"""

from __future__ import annotations

from bot.config import HttpConfig, Settings
from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import Link, bold, code, line
from bot.features.events.commands import feature
from bot.features.events.feeds import community_feed_url, issue_token, member_feed_url

REVOKE_ACTION = "calendar feed revoke"


def _http(ctx: CommandContext) -> HttpConfig:
    http = ctx.services[Settings].http
    if http is None:
        raise UserFacingError(
            "Calendar feeds are not switched on for this bot. /calendar gives you a file instead."
        )
    return http


@feature.command("calendar", "feed", description=N_("Subscribe to your events in your calendar"))
async def calendar_feed(ctx: CommandContext) -> Reply:
    http = _http(ctx)
    existing = await ctx.uow.calendar_feeds.of_member(ctx.member.id)
    if existing is None:
        return await _new_address(ctx, http)
    return ctx.reply(
        line(
            ctx._(
                "You already have a calendar feed (since {date}). I keep only a fingerprint of "
                "its address, so I cannot show it again.",
                date=ctx.translator.format_date(existing.created_at, ctx.zone),
            )
        ),
        line(ctx._("A new address stops the old one: "), code("/" + REVOKE_ACTION), "."),
        destination=Destination.PRIVATE,
        buttons=((Button(ctx._("New address"), REVOKE_ACTION),),),
    )


@feature.command(
    "calendar",
    "feed",
    "revoke",
    description=N_("Stop your calendar feed address and get a new one"),
)
async def revoke_calendar_feed(ctx: CommandContext) -> Reply:
    return await _new_address(ctx, _http(ctx))


async def _new_address(ctx: CommandContext, http: HttpConfig) -> Reply:
    token = await issue_token(ctx.uow, ctx.member, now=ctx.now)
    await ctx.audit("calendar.feed")  # never the token
    url = member_feed_url(http, token)
    blocks = [
        line(bold(ctx._("Your private calendar feed:"))),
        line(Link(url, url)),
        line(
            ctx._(
                "Add it once: Google Calendar: Other calendars, +, From URL. Outlook: Add "
                "calendar, Subscribe from web. Apple Calendar: File, New Calendar Subscription."
            )
        ),
        line(
            ctx._(
                "Your calendar then follows every event you join, reschedule and cancellation "
                "included (Google Calendar refreshes it every few hours)."
            )
        ),
        line(
            ctx._("Keep it to yourself: anyone with it sees the events you joined. "),
            code("/" + REVOKE_ACTION),
            ctx._(" replaces it."),
        ),
    ]
    if http.public_feeds:
        public = community_feed_url(http, ctx.community.slug)
        blocks.append(
            line(
                ctx._("Everything {name} opens to all: ", name=ctx.community.name),
                Link(public, public),
            )
        )
    return ctx.reply(*blocks, destination=Destination.PRIVATE)
