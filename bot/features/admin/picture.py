"""The ``/stats`` picture: new members over the period, and champions per region.

Drawn with the assessment feature's charting (matplotlib, ``Figure`` API, off the event loop),
so the whole bot has one way of making pictures.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, literal, select

from bot.core.context import CommandContext
from bot.core.i18n import Translator
from bot.core.messages import Attachment
from bot.features.assessment.chart import StatsChart, draw, stats_png
from storage.models import Membership

BUCKETS = 12
"""At most this many points on the activity line (weeks for a short period, longer otherwise)."""


async def joined_per_bucket(
    ctx: CommandContext, since: datetime, until: datetime
) -> tuple[list[str], list[int]]:
    """New members of the community in equal slices of the period, with each slice's start."""
    count = max(1, min(BUCKETS, (until - since).days // 7))
    width = (until - since) / count
    starts = [since + width * n for n in range(count)]
    # Counted by the database, one row per slice (not one per member who joined).
    bucket = (
        case(
            *((Membership.joined_at < start, n - 1) for n, start in enumerate(starts) if n),
            else_=count - 1,
        )
        if count > 1
        else literal(0)
    )
    joined = (
        select(bucket.label("bucket"))
        .where(
            Membership.community_id == ctx.community.id,
            Membership.joined_at >= since,
            Membership.joined_at < until,
        )
        .subquery()
    )
    statement = select(joined.c.bucket, func.count()).group_by(joined.c.bucket)
    counts = [0] * count
    for number, found in (await ctx.uow.session.execute(statement)).all():
        counts[int(number)] += int(found)
    # matplotlib does not shape Arabic: English labels then (as the rest of the chart)
    shown = Translator("en") if ctx.translator.rtl else ctx.translator
    labels = [shown.format_short_date(start, ctx.zone) for start in starts]
    return labels, counts


async def stats_picture(
    ctx: CommandContext,
    since: datetime,
    until: datetime,
    regions: list[tuple[str, int]],
) -> Attachment:
    labels, counts = await joined_per_bucket(ctx, since, until)
    rtl = ctx.translator.rtl  # matplotlib does not shape Arabic: English labels then
    chart = StatsChart(
        title=ctx.community.name,
        weeks=labels,
        joined=counts,
        activity_label="New members" if rtl else ctx._("New members"),
        regions=[name for name, _count in regions],
        champions=[count for _name, count in regions],
        regions_label="Champions per region" if rtl else ctx._("Champions per region"),
    )
    return Attachment("stats.png", await draw(stats_png, chart), "image/png")
