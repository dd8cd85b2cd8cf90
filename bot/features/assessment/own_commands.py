"""A member's own results: export them, and note an action with a date (reminded then)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.i18n import N_
from bot.core.messages import Attachment, Destination, Reply
from bot.core.richtext import bold, line
from bot.delivery import outbox
from bot.features.assessment import exports
from bot.features.assessment.commands import feature
from bot.features.assessment.frameworks import Frameworks
from bot.features.events.dates import parse_day
from bot.features.profiles.lookup import private_recipient
from storage.models_assessment import AssessmentAction

ACTION_KIND = "assessment.action"
REMIND_AT = time(9, 0)
"""Reminders arrive at 09:00 in the member's zone on the day she chose."""


@feature.command(
    "assess",
    "export",
    description=N_("Download your own assessment results"),
    in_help=False,
    args=[
        ArgSpec(
            "format",
            ArgKind.CHOICE,
            N_("File format"),
            required=False,
            choices=(Choice("json", "JSON"), Choice("csv", "CSV")),
        )
    ],
)
async def export_own(ctx: CommandContext, format: str | None = None) -> Reply:
    data = await exports.own_results(ctx.uow, ctx.member)
    if format == "csv":
        attachment = Attachment("my-assessments.csv", exports.as_csv(data), "text/csv")
    else:
        attachment = Attachment("my-assessments.json", exports.as_json(data), "application/json")
    return ctx.reply(
        ctx.ngettext(
            "Here are your assessment results ({count} assessment).",
            "Here are your assessment results ({count} assessments).",
            len(data["assessments"]),
        ),
        attachments=(attachment,),
        destination=Destination.PRIVATE,
    )


@feature.command(
    "assess",
    "action",
    description=N_("Note an action on a criterion, with a date to be reminded"),
    in_help=False,
    args=[
        ArgSpec("criterion", ArgKind.WORD, N_("The criterion, as in your results"), max_length=40),
        ArgSpec("date", ArgKind.WORD, N_("When, like 2027-03-31"), max_length=10),
        ArgSpec("text", ArgKind.TEXT, N_("What you will do"), max_length=300),
    ],
)
async def note_action(ctx: CommandContext, criterion: str, date: str, text: str) -> Reply:
    frameworks = ctx.services[Frameworks].by_code.values()
    code = criterion.lower()
    found = next((f.criterion(code) for f in frameworks if f.criterion(code)), None)
    if found is None:
        raise UsageError(
            "I know no criterion “{name}”. The advice after your results names them.",
            name=criterion[:40],
        )
    zone = ZoneInfo(ctx.zone)
    due = datetime.combine(parse_day(date), REMIND_AT, tzinfo=zone)
    if due <= ctx.now:
        raise UsageError("Choose a date in the future.")
    words = " ".join(text.split())[:300]
    if not words:
        raise UsageError("Say what you will do.")
    latest = await ctx.uow.assessments.done_of(ctx.member.id)
    action = await ctx.uow.assessments.add_action(
        AssessmentAction(
            member_id=ctx.member.id,
            assessment_id=latest[-1].id if latest else None,
            criterion=code,
            text=words,
            due_at=due,
            created_at=ctx.now,
        )
    )
    recipient = private_recipient(ctx.member, prefer=ctx.request.actor.platform.value)
    if recipient is not None:
        language = ctx.translator.language
        reminder = ctx.reply(
            line(bold(ctx._("A reminder of the action you noted"))),
            line(found.name(language), ctx.translator.colon, words),
            line(ctx._("Take the assessment again to see the change: /assess start")),
        )
        key = f"assess:action:{action.id}"
        await outbox.enqueue(
            ctx.uow,
            [
                outbox.message(
                    key,
                    ACTION_KIND,
                    recipient,
                    reminder,
                    due,
                    member_id=ctx.member.id,
                    community_id=ctx.community.id,
                )
            ],
            now=ctx.now,
        )
    return ctx.reply(
        ctx._("Noted. I will remind you on {date}.", date=due.date()),
        destination=Destination.EPHEMERAL,
    )
