"""/assess: take the self-assessment in the chat, see and export your results, note actions.

Questions and results are private (the member's private chat, wherever she typed the command).
Button presses run the hidden ``asq`` (answer) and ``assent`` (consent) commands.
"""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, PlaceKind, Reply
from bot.core.reading import fold
from bot.core.richtext import bold, bullets, line
from bot.core.topics import Topic
from bot.features.assessment import service
from bot.features.assessment.chat import BACK, NOT_APPLICABLE, SKIP, question_reply, track_of
from bot.features.assessment.framework import Track
from bot.features.assessment.frameworks import Frameworks
from bot.features.assessment.results import result_replies, score_lines
from bot.features.assessment.scoring import scores

feature = Feature("assessment", topic=Topic.RESOURCES)
feature.service(Frameworks)

TRACK_ARG = ArgSpec(
    "track",
    ArgKind.CHOICE,
    N_("Personal, or for your institution"),
    required=False,
    choices=(
        Choice("personal", N_("Personal")),
        Choice("institutional", N_("For an institution")),
    ),
)
INSTITUTION_ARG = ArgSpec(
    "institution",
    ArgKind.TEXT,
    N_("The municipality or association you answer for"),
    required=False,
    max_length=120,
)


async def _start(
    ctx: CommandContext, framework_code: str | None, track: str | None, institution: str | None
) -> list[Reply]:
    frameworks = ctx.services[Frameworks]
    chosen: Track = "institutional" if track == "institutional" else "personal"
    framework = frameworks.get(framework_code)
    assessment, resumed = await service.begin(ctx, framework, chosen, institution)
    if resumed:
        framework = frameworks.get(assessment.framework)
    answers = await ctx.uow.assessments.answers(assessment.id)
    total = len(framework.questions(chosen if not resumed else track_of(assessment)))
    if resumed:
        intro = ctx.ngettext(
            "Welcome back. You have answered {answered} of {count} question; here is where you "
            "stopped.",
            "Welcome back. You have answered {answered} of {count} questions; here is where you "
            "stopped.",
            total,
            answered=len(answers),
        )
    else:
        intro = ctx.ngettext(
            "{title}: {count} question. Tap the level that fits best, from 0 "
            "(not yet) to 5 (leading others). Your answers are private and saved as you go: you "
            "can stop and come back with /assess start. Later: /assess history, /assess result, "
            "/assess export.",
            "{title}: {count} questions, one at a time. Tap the level that fits best, from 0 "
            "(not yet) to 5 (leading others). Your answers are private and saved as you go: you "
            "can stop and come back with /assess start. Later: /assess history, /assess result, "
            "/assess export.",
            total,
            title=framework.title(ctx.translator.language),
        )
    return [
        ctx.reply(intro, destination=Destination.PRIVATE),
        question_reply(ctx, framework, assessment, answers),
    ]


@feature.command(
    "assess",
    "start",
    featured=True,
    description=N_("Leadership self-assessment"),
    args=[TRACK_ARG, INSTITUTION_ARG],
)
async def start(
    ctx: CommandContext, track: str | None = None, institution: str | None = None
) -> list[Reply]:
    return await _start(ctx, None, track, institution)


@feature.command(
    "assess",
    "take",
    description=N_("Take another self-assessment framework by its name"),
    in_help=False,
    args=[
        ArgSpec("framework", ArgKind.WORD, N_("The framework's name"), max_length=40),
        TRACK_ARG,
        INSTITUTION_ARG,
    ],
)
async def take(
    ctx: CommandContext, framework: str, track: str | None = None, institution: str | None = None
) -> list[Reply]:
    return await _start(ctx, framework.lower(), track, institution)


@feature.command(
    "asq",
    description=N_("Answer a self-assessment question"),
    args=[
        ArgSpec("id", ArgKind.INTEGER, N_("Assessment number")),
        ArgSpec("index", ArgKind.WORD, N_("Question number"), max_length=4),
        ArgSpec("choice", ArgKind.WORD, N_("Level, na, back or skip"), max_length=8),
    ],
    hidden=True,
)
async def answer(ctx: CommandContext, id: int, index: str, choice: str) -> list[Reply]:
    assessment = await service.own(ctx, id)
    if not index.isdigit():  # 0-based, so not an INTEGER argument (those start at 1)
        raise UsageError("Choose a level from 0 to 5, “not applicable”, back or skip.")
    framework = ctx.services[Frameworks].get(assessment.framework)
    finished = await service.record(ctx, framework, assessment, int(index), choice.lower())
    if finished:
        done = ctx.reply(
            ctx._("Thank you, that was the last question."), destination=Destination.PRIVATE
        )
        return [done, *await result_replies(ctx, framework, assessment, finished=True)]
    answers = await ctx.uow.assessments.answers(assessment.id)
    return [question_reply(ctx, framework, assessment, answers)]


@feature.command(
    "assent",
    description=N_("Say who may use your assessment result"),
    args=[
        ArgSpec("id", ArgKind.INTEGER, N_("Assessment number")),
        ArgSpec(
            "what",
            ArgKind.CHOICE,
            N_("What you allow"),
            choices=(
                Choice("share", N_("Count me in the figures")),
                Choice("ask", N_("Peers may ask me")),
                Choice("private", N_("Keep it all private")),
            ),
        ),
    ],
    hidden=True,
)
async def assent(ctx: CommandContext, id: int, what: str) -> Reply:
    assessment = await service.own(ctx, id)
    if what == "share":
        assessment.shared = True
        said = ctx._("Done: this result counts, anonymously, in the working group's figures.")
    elif what == "ask":
        assessment.askable = True
        said = ctx._("Done: peers weak where you are strong may be pointed to you.")
    else:
        assessment.shared = assessment.askable = False
        said = ctx._("Done: this result stays yours alone.")
    assessment.updated_at = ctx.now
    return ctx.reply(said, destination=Destination.EPHEMERAL)


@feature.command(
    "assess", "history", description=N_("Your past self-assessment results"), in_help=False
)
async def history(ctx: CommandContext) -> Reply:
    done = await ctx.uow.assessments.done_of(ctx.member.id)
    if not done:
        return ctx.reply(
            ctx._("You have no finished assessment yet. Type /assess start to take one."),
            destination=Destination.PRIVATE,
        )
    frameworks = ctx.services[Frameworks]
    blocks: list[object] = [line(bold(ctx._("Your assessments")))]
    for assessment in reversed(done):
        framework = frameworks.by_code.get(assessment.framework)
        if framework is None:
            continue
        answers = await ctx.uow.assessments.answers(assessment.id)
        heading = f"#{assessment.id} · {service.when(ctx, assessment.finished_at)}"
        if assessment.institution:
            heading += f" · {assessment.institution}"
        blocks.append(line(bold(heading)))
        track = track_of(assessment)
        blocks.append(bullets(score_lines(ctx, framework, scores(framework, track, answers), {})))
    blocks.append(line(ctx._("See one as a picture: /assess result <number>")))
    return ctx.reply(*blocks, destination=Destination.PRIVATE)


@feature.command(
    "assess",
    "result",
    description=N_("A past result as a picture (default: your latest)"),
    in_help=False,
    args=[ArgSpec("id", ArgKind.INTEGER, N_("Assessment number"), required=False)],
)
async def result(ctx: CommandContext, id: int | None = None) -> list[Reply]:
    if id is None:
        done = await ctx.uow.assessments.done_of(ctx.member.id)
        if not done:
            raise UsageError("You have no finished assessment yet. Type /assess start to take one.")
        assessment = done[-1]
    else:
        assessment = await service.own(ctx, id)
    framework = ctx.services[Frameworks].get(assessment.framework)
    return await result_replies(ctx, framework, assessment)


TYPED_CHOICES = {
    **dict.fromkeys(("na", "n/a", "s/o", "sans objet", "no aplica", "لا ينطبق"), NOT_APPLICABLE),
    **dict.fromkeys(("skip", "passer", "omitir", "saltar", "تخطي"), SKIP),
    **dict.fromkeys(("back", "retour", "atras", "volver", "رجوع"), BACK),
}
"""Typed words for the buttons, folded (:func:`bot.core.reading.fold`), in the four languages."""


@feature.listener
async def typed_answer(ctx: CommandContext) -> list[Reply] | None:
    """In a private chat, a typed level (``3``), ``na``, ``back`` or ``skip`` answers the open
    assessment's current question: the console has no buttons, and some people type."""
    if ctx.request.place.kind is not PlaceKind.PRIVATE:
        return None
    word = fold(ctx.request.text)  # "٣" is 3, "Atrás" is back
    choice = word if word in {"0", "1", "2", "3", "4", "5"} else TYPED_CHOICES.get(word)
    if choice is None:
        return None
    assessment = await ctx.uow.assessments.open_of(ctx.member.id)
    if assessment is None:
        return None
    return await answer(ctx, assessment.id, str(assessment.position), choice)
