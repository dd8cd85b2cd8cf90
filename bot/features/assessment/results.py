"""Results: the radar picture, a short text summary (screen readers, the console), advice.

The summary says in words what the picture shows: each dimension's score and band, the change
since last time, the strongest and weakest criteria. Arabic labels are not shaped by
matplotlib, so right-to-left readers get numbered spokes and the key in the text.
"""

from __future__ import annotations

from typing import Any

from bot.core.context import CommandContext
from bot.core.messages import Attachment, Button, Destination, Reply
from bot.core.richtext import Link, bold, bullets, code, line
from bot.core.vocab import THEMES, label
from bot.features.assessment.advice import Advice, advise
from bot.features.assessment.chart import Radar, draw, radar_png
from bot.features.assessment.chat import track_of
from bot.features.assessment.framework import Framework
from bot.features.assessment.scoring import (
    Answers,
    Score,
    change,
    criterion_scores,
    scores,
    weak_criteria,
)
from bot.features.assessment.service import institution_answers, previous, when
from bot.features.mentoring.service import reason_text
from storage.models_assessment import Assessment

PNG = "image/png"


def score_lines(
    ctx: CommandContext, framework: Framework, now: list[Score], moved: dict[str, float]
) -> list[Any]:
    language = ctx.translator.language
    names = {d.code: d.name(language) for d in framework.dimensions}
    found: list[Any] = []
    for score in now:
        if score.value is None:
            found.append(line(names[score.code], ctx.translator.colon, ctx._("no answer")))
            continue
        band = framework.band(score.value).name(language)
        parts: list[Any] = [
            names[score.code],
            ctx.translator.colon,
            bold(f"{score.value:.0f}/100"),
            f" · {band}",
        ]
        if score.code in moved:
            delta = f"{moved[score.code]:+.0f}"
            parts.append(" (" + ctx._("{change} since last time", change=delta) + ")")
        found.append(line(*parts))
    return found


async def picture(
    ctx: CommandContext,
    framework: Framework,
    assessment: Assessment,
    answers: Answers,
    before: Answers | None,
) -> Attachment:
    """The radar of one result (and the previous one, dashed), drawn off the event loop."""
    language = ctx.translator.language
    questions = framework.questions(track_of(assessment))
    if ctx.translator.rtl:
        labels = [str(n) for n in range(1, len(questions) + 1)]
    else:
        labels = [q.criterion.name(language) for q in questions]
    radar = Radar(
        title=framework.title(language) if not ctx.translator.rtl else framework.title("en"),
        labels=labels,
        now=criterion_scores(framework, track_of(assessment), answers),
        before=None
        if before is None
        else criterion_scores(framework, track_of(assessment), before),
        now_label=ctx._("now") if not ctx.translator.rtl else "now",
        before_label=ctx._("last time") if not ctx.translator.rtl else "last time",
    )
    data = await draw(radar_png, radar)
    return Attachment(f"assessment-{assessment.id}.png", data, PNG)


async def result_replies(
    ctx: CommandContext, framework: Framework, assessment: Assessment, *, finished: bool = False
) -> list[Reply]:
    """The summary with its picture; after finishing, the advice and the consent questions."""
    language = ctx.translator.language
    track = track_of(assessment)
    answers: Answers = await ctx.uow.assessments.answers(assessment.id)
    earlier = await previous(ctx, assessment)
    before: Answers | None = (
        await ctx.uow.assessments.answers(earlier.id) if earlier is not None else None
    )
    blocks: list[Any] = [
        line(bold(ctx._("Your results: {title}", title=framework.title(language)))),
        line(
            ctx._(
                "Taken on {date}", date=when(ctx, assessment.finished_at or assessment.updated_at)
            )
        ),
    ]
    shown = answers
    if track == "institutional" and assessment.institution:
        combined, count = await institution_answers(ctx, assessment)
        if count > 1:
            shown = combined
            blocks.append(
                line(
                    ctx.ngettext(
                        "{institution}: the answers of {count} member combined.",
                        "{institution}: the answers of {count} members combined.",
                        count,
                        institution=assessment.institution,
                    )
                )
            )
    now = scores(framework, track, shown)
    moved = change(now, scores(framework, track, before)) if before is not None else {}
    if earlier is not None:
        blocks.append(line(ctx._("Compared with {date}.", date=when(ctx, earlier.finished_at))))
    blocks.extend(score_lines(ctx, framework, now, moved))
    rated = [
        (level, q.criterion.name(language))
        for q in framework.questions(track)
        if (level := shown.get(q.criterion.code)) is not None
    ]
    if rated and len({level for level, _name in rated}) > 1:  # all alike: nothing stands out
        best = max(rated, key=lambda r: r[0])
        worst = min(rated, key=lambda r: r[0])
        blocks.append(
            line(ctx._("Strongest: {name}. Weakest: {other}.", name=best[1], other=worst[1]))
        )
    if ctx.translator.rtl:
        key = [
            f"{n}. {q.criterion.name(language)}"
            for n, q in enumerate(framework.questions(track), 1)
        ]
        blocks.append(line(ctx._("Chart key:")))
        blocks.append(bullets(key))
    chart = await picture(ctx, framework, assessment, shown, before)
    replies = [
        Reply(
            body=ctx.reply(*blocks).body,
            attachments=(chart,),
            destination=Destination.PRIVATE,
            rtl=ctx.translator.rtl,
        )
    ]
    if finished:
        weak = weak_criteria(framework, track, answers)
        if weak:
            replies.append(advice_reply(ctx, await advise(ctx, framework, weak)))
        if track == "personal":
            replies.append(consent_reply(ctx, assessment))
    return replies


def advice_reply(ctx: CommandContext, found: list[Advice]) -> Reply:
    language = ctx.translator.language
    blocks: list[Any] = [line(bold(ctx._("What may help where you are weakest")))]
    for advice in found:
        criterion = advice.criterion
        items: list[Any] = []
        for title, url in advice.resources:
            items.append(line(ctx._("Hub resource: "), Link(title, url) if url else title))
        if advice.webinar is not None:
            webinar = advice.webinar
            items.append(
                line(
                    ctx._("Next webinar: "),
                    webinar.title,
                    f" ({when(ctx, webinar.starts_at)}) ",
                    code(f"/rsvp {webinar.id}"),
                )
            )
        for peer in advice.peers:
            items.append(
                line(ctx._("A champion strong on it who agreed to be asked: "), peer.display_name)
            )
        items.append(line(ctx._("More on the hub: "), code(f"/resources theme:{criterion.theme}")))
        if advice.mentor is None:
            items.append(line(ctx._("Ask for a mentor on it: "), code("/mentor request")))
        else:
            reason = reason_text(advice.mentor.reason, ctx.translator)
            items.append(
                line(
                    ctx._("A mentor who offered help on it: "),
                    bold(advice.mentor.mentor.display_name),
                    f" ({reason}). ",
                    ctx._("The button below asks the admins for a mentor on it."),
                )
            )
        items.append(
            line(
                ctx._("Note an action with a date: "),
                code(f"/assess action {criterion.code} 2027-03-31 …"),
            )
        )
        blocks.append(line(bold(criterion.name(language))))
        blocks.append(line(ctx._("Source: "), criterion.source))
        if criterion.source_url:
            blocks.append(line(Link(criterion.source_url, criterion.source_url)))
        blocks.append(bullets(items))
    return ctx.reply(*blocks, buttons=mentor_buttons(ctx, found), destination=Destination.PRIVATE)


def mentor_buttons(ctx: CommandContext, found: list[Advice]) -> tuple[tuple[Button, ...], ...]:
    """One button per theme a mentor was proposed on: it runs ``/mentor request <theme>``.
    The action names the theme's code (a label in Arabic would pass Telegram's 64 bytes), and
    two criteria on one theme share a button (Discord refuses a custom id used twice)."""
    themes = dict.fromkeys(a.criterion.theme for a in found if a.mentor is not None)
    return tuple(
        (
            Button(
                ctx._("Ask for a mentor: {theme}", theme=ctx._(label(THEMES, theme) or theme)),
                f"mentor request {theme}",
            ),
        )
        for theme in themes
    )


def consent_reply(ctx: CommandContext, assessment: Assessment) -> Reply:
    """Private by default: two buttons to opt in, each undone by pressing the other words."""
    return ctx.reply(
        ctx._(
            "Your result is private. You may let it count, anonymously, in the working "
            "group's figures (never for a group under five people), and let peers be pointed "
            "to you where you are strong."
        ),
        buttons=(
            (Button(ctx._("Count me in the figures"), f"assent {assessment.id} share"),),
            (Button(ctx._("Peers may ask me"), f"assent {assessment.id} ask"),),
            (Button(ctx._("Keep it all private"), f"assent {assessment.id} private"),),
        ),
        destination=Destination.PRIVATE,
    )
