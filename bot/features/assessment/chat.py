"""The guided chat: one question per message, with buttons for the levels, back and skip.

Buttons carry short command lines (``asq 12 6 3``: assessment 12, question 6, level 3), so a
press needs no state in memory: after a restart the same buttons still work, and the position
saved with every answer says where the member resumes.
"""

from __future__ import annotations

import math

from bot.core.context import CommandContext
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import bold, italic, line
from bot.features.assessment.framework import Framework, Track
from storage.models_assessment import Assessment

ANSWER_COMMAND = "asq"
NOT_APPLICABLE = "na"
SKIP = "skip"
BACK = "back"


def track_of(assessment: Assessment) -> Track:
    return "institutional" if assessment.track == "institutional" else "personal"


def minutes_left(framework: Framework, remaining: int) -> int:
    return max(1, math.ceil(remaining * framework.minutes_per_question))


def question_reply(
    ctx: CommandContext,
    framework: Framework,
    assessment: Assessment,
    answers: dict[str, int | None],
) -> Reply:
    """The question at ``assessment.position``, its progress line and its buttons."""
    language = ctx.translator.language
    questions = framework.questions(track_of(assessment))
    index = min(assessment.position, len(questions) - 1)
    question = questions[index]
    progress = ctx.ngettext(
        "Question {number} of {total}, about {count} min left",
        "Question {number} of {total}, about {count} min left",
        minutes_left(framework, len(questions) - index),
        number=index + 1,
        total=len(questions),
    )
    blocks: list[object] = [
        line(italic(progress)),
        line(bold(question.dimension.name(language), " · ", question.criterion.name(language))),
    ]
    if assessment.institution:
        blocks.append(line(ctx._("For: {institution}", institution=assessment.institution)))
    blocks.append(line(question.text(language)))
    code = question.criterion.code
    if code in answers:
        chosen = framework.scale.name(answers[code], language)
        blocks.append(line(ctx._("Your answer so far: {level}", level=chosen)))

    def press(label: str, choice: str) -> Button:
        return Button(label, f"{ANSWER_COMMAND} {assessment.id} {index} {choice}")

    levels = [
        press(f"{lv.value} · {lv.name(language)}", str(lv.value)) for lv in framework.scale.levels
    ]
    last = [press(framework.scale.not_applicable(language), NOT_APPLICABLE)]
    if index > 0:
        last.append(press("◀ " + ctx._("Back"), BACK))
    last.append(press(ctx._("Skip question") + " ▶", SKIP))
    return ctx.reply(
        *blocks,
        buttons=(tuple(levels[:3]), tuple(levels[3:]), tuple(last)),
        destination=Destination.PRIVATE,
    )
