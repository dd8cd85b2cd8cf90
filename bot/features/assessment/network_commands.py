"""/assess network: the working group's aggregate, for the community's admins only."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Attachment, Destination, Reply
from bot.core.registry import Audience
from bot.core.richtext import bold, bullets, line
from bot.core.vocab import REGIONS, label
from bot.features.assessment import aggregates
from bot.features.assessment.chart import (
    GroupedBars,
    Radar,
    draw,
    grouped_bars_png,
    radar_png,
)
from bot.features.assessment.commands import feature
from bot.features.assessment.frameworks import Frameworks


@feature.command(
    "assess",
    "network",
    description=N_("Where the network is strong and weak (shared results, groups of 5+)"),
    args=[
        ArgSpec(
            "format",
            ArgKind.CHOICE,
            N_("File format"),
            required=False,
            choices=(Choice("csv", "CSV"), Choice("json", "JSON")),
        )
    ],
    audience=Audience.ADMIN,
)
async def network(ctx: CommandContext, format: str | None = None) -> Reply:
    framework = ctx.services[Frameworks].get()
    language = ctx.translator.language
    questions = framework.questions("personal")
    radar: list[asyncio.Task[bytes]] = []

    def draw_radar(criteria: dict[str, float | None]) -> None:
        """Started as soon as the criteria are known: drawn while the database counts the
        dimensions (PostgreSQL works in its own process, on the other core)."""
        picture = Radar(
            title=framework.title("en" if ctx.translator.rtl else language),
            labels=[
                str(n) if ctx.translator.rtl else q.criterion.name(language)
                for n, q in enumerate(questions, 1)
            ],
            now=[criteria.get(q.criterion.code) for q in questions],
        )
        radar.append(asyncio.create_task(draw(radar_png, picture)))

    try:
        found = await aggregates.network(
            ctx.uow, framework, ctx.community.id, with_criteria=draw_radar
        )
    except BaseException:
        for task in radar:
            task.cancel()
        raise
    names = {d.code: d.name(language) for d in framework.dimensions}
    blocks: list[Any] = [
        line(
            bold(
                ctx.ngettext(
                    "{title}: {count} member shared their results",
                    "{title}: {count} members shared their results",
                    found.members,
                    title=framework.title(language),
                )
            )
        ),
    ]
    regions: dict[str, list[Any]] = {}
    for cell in found.cells:
        score = (
            ctx._("fewer than five")
            if cell.score is None
            else f"{cell.score:.0f}/100 · {framework.band(cell.score).name(language)}"
        )
        regions.setdefault(cell.region, []).append(
            line(names[cell.dimension], ctx.translator.colon, score)
        )
    for region, items in regions.items():
        blocks.append(line(bold(_region_name(ctx, region))))
        blocks.append(bullets(items))
    region_codes = list(regions)
    bars = GroupedBars(
        title=framework.title("en" if ctx.translator.rtl else language),
        groups=[_region_name(ctx, code, in_picture=True) for code in region_codes],
        series=[d.code if ctx.translator.rtl else names[d.code] for d in framework.dimensions],
        values=[
            [
                next(
                    (c.score for c in found.cells if c.region == code and c.dimension == d.code),
                    None,
                )
                for code in region_codes
            ]
            for d in framework.dimensions
        ],
    )
    files = [
        Attachment("network-assessment.png", await radar[0], "image/png"),
        Attachment("network-regions.png", await draw(grouped_bars_png, bars), "image/png"),
    ]
    if format == "json":
        files.append(
            Attachment("network-assessment.json", aggregates.to_json(found), "application/json")
        )
    elif format == "csv":
        files.append(Attachment("network-assessment.csv", aggregates.to_csv(found), "text/csv"))
    await ctx.audit("assessment.network", format=format or "")
    return ctx.reply(*blocks, attachments=tuple(files), destination=Destination.PERSONAL)


def _region_name(ctx: CommandContext, code: str, *, in_picture: bool = False) -> str:
    """The region's name in the reader's language (English in a picture for right-to-left
    readers: matplotlib does not shape Arabic)."""
    translate = (lambda text: text) if in_picture and ctx.translator.rtl else ctx._
    if code == aggregates.ALL_REGIONS:
        return translate("Whole network")
    return translate(label(REGIONS, code) or "Region not given")
