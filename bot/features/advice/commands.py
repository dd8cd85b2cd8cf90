"""Peer advice threads: /ask, /answer, /solved, /threads, /thread, /search_advice."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.config import AdminsConfig, AdviceConfig
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import (
    Button,
    Destination,
    PlaceKind,
    Platform,
    Recipient,
    Reply,
    SentMessage,
)
from bot.core.ports import Ports
from bot.core.richtext import bold, bullets, italic, line
from bot.core.router import ANSWER_PREFIX
from bot.core.topics import Topic
from bot.core.vocab import THEMES
from bot.features.advice import nudges
from bot.features.advice import service as advice
from bot.features.advice.cards import answer_block, label_of, question_card
from bot.features.advice.parsing import split_question
from bot.features.advice.search import AdviceSearch
from bot.features.profiles.service import clean_text, parse_yes_no
from storage.models import Answer, Question
from storage.statuses import QuestionStatus

feature = Feature("advice", topic=Topic.ADVICE)
feature.service(AdviceSearch)

ASK_FLOW = "ask"
QUESTION_ARG = ArgSpec("question", ArgKind.WORD, N_("Question number, like Q12"))
FILTERS = tuple(Choice(v, v) for v in (QuestionStatus.OPEN, QuestionStatus.SOLVED, "mine", "all"))


@feature.periodic
async def nudge_unanswered(ports: Ports, now: datetime) -> int:
    """Re-announce questions nobody answered; tell the admins (config admins included)."""
    config = ports.services[AdviceConfig]
    admins = [
        Recipient(Platform(platform), user_id, private=True)
        for platform in ("telegram", "discord")
        for user_id in getattr(ports.services[AdminsConfig], platform)
    ]
    async with ports.unit_of_work() as uow:
        nudged = await nudges.nudge_unanswered(
            uow,
            now=now,
            after=timedelta(hours=config.unanswered_hours),
            daily_cap=config.daily_notice_cap,
            admin_recipients=admins,
        )
    return len(nudged)


@feature.on_sent("advice.question")
async def remember_mirror(uow: Any, row: Any, sent: SentMessage) -> None:
    """A question was posted: keep the topic/post/thread it lives in, to relay answers there."""
    await advice.record_mirror(
        uow,
        int(row.payload["meta"]["question_id"]),
        row.platform,
        row.chat_id,
        sent.thread_id or row.thread_id,
        sent.message_id,
    )


def _settings(ctx: CommandContext) -> AdviceConfig:
    return ctx.services[AdviceConfig]


async def _create(ctx: CommandContext, text: str, *, anonymous: bool | None = None) -> list[Reply]:
    asked = split_question(clean_text(text, limit=3000, what="question"), ctx.translator)
    is_anonymous = asked.anonymous if anonymous is None else anonymous
    if is_anonymous and ctx.request.place.kind is not PlaceKind.PRIVATE:
        raise UserFacingError(
            "To stay anonymous, ask me in a private chat: here everyone sees who wrote it."
        )
    question = Question(
        community_id=ctx.community.id,
        asker_id=ctx.member.id,
        anonymous=is_anonymous,
        title=asked.title,
        body=asked.body,
        themes=asked.themes,
        region=None,
        asked_platform=ctx.request.place.platform.value,
        created_at=ctx.now,
    )
    await ctx.uow.advice.add(question)
    posted = await advice.post_question(ctx.uow, ctx.community, question, ctx.now)
    told = await advice.notify_matching_champions(
        ctx.uow, ctx.community, question, now=ctx.now, daily_cap=_settings(ctx).daily_notice_cap
    )
    blocks: list[Any] = [
        line(bold(ctx._("Your question {id} is posted.", id=label_of(question)))),
        ctx._(
            "Advice places it was posted to: {places}. Matching champions told: {champions}.",
            places=posted,
            champions=len(told),
        ),
    ]
    if is_anonymous:
        blocks.append(ctx._("It is anonymous: only the moderators can know you asked."))
    blocks.append(ctx._("You will hear from me when the first answer arrives."))
    return [ctx.reply(*blocks, destination=Destination.EPHEMERAL)]


@feature.command(
    "ask",
    featured=True,
    description=N_("Ask the champions for advice (start with “anonymous” to hide your name)"),
    args=[
        ArgSpec(
            "text",
            ArgKind.TEXT,
            N_("Your question, with #themes"),
            required=False,
            max_length=3000,
            long=True,
        )
    ],
)
async def ask(ctx: CommandContext, text: str | None = None) -> list[Reply]:
    if text:
        return await _create(ctx, text)
    await ctx.ask_next(ASK_FLOW, "text", private=True)
    return [
        ctx.reply(
            line(bold(ctx._("What would you like to ask your peers?"))),
            ctx._("Write it in one message. Add #themes if you like, for example #quotas."),
            ctx._("Type /cancel to stop."),
            destination=Destination.PRIVATE,
        )
    ]


@feature.flow(ASK_FLOW)
async def ask_flow(ctx: CommandContext) -> list[Reply]:
    step, values, answer_text = ctx.data["step"], ctx.data["values"], ctx.data["answer"]
    if step == "text":
        split_question(answer_text, ctx.translator)  # check it now, ask again if bad
        await ctx.ask_next(ASK_FLOW, "anonymous", {"text": answer_text})
        return [
            ctx.reply(
                ctx._("Should your name be hidden from the other members?"),
                buttons=(
                    (
                        Button(ctx._("Yes, ask anonymously"), ANSWER_PREFIX + "yes"),
                        Button(ctx._("No, show my name"), ANSWER_PREFIX + "no"),
                    ),
                ),
            )
        ]
    # Anything but a clear yes or no asks again: an unclear answer must not reveal the name.
    anonymous = parse_yes_no(answer_text)
    await ctx.end_conversation()
    return await _create(ctx, str(values["text"]), anonymous=anonymous)


async def _add_answer(
    ctx: CommandContext, question: Question, text: str, source: tuple[str, str] | None
) -> Answer:
    if question.status in (QuestionStatus.CLOSED, QuestionStatus.DELETED):
        raise UserFacingError("{id} is closed; it takes no more answers.", id=label_of(question))
    body = clean_text(text, limit=3000, what="answer")
    answer_row = Answer(
        question_id=question.id,
        author_id=ctx.member.id,
        body=body,
        platform=ctx.request.place.platform.value,
        created_at=ctx.now,
    )
    await ctx.uow.advice.add(answer_row)
    await advice.relay_answer(
        ctx.uow, ctx.community, question, answer_row, now=ctx.now, source=source
    )
    return answer_row


@feature.command(
    "answer",
    description=N_("Answer a question"),
    args=[
        QUESTION_ARG,
        ArgSpec("text", ArgKind.TEXT, N_("Your answer"), max_length=3000, long=True),
    ],
)
async def answer(ctx: CommandContext, question: str, text: str) -> Reply:
    thread = await advice.find_question(ctx.uow, ctx.community, question)
    await _add_answer(ctx, thread, text, source=None)
    return ctx.reply(
        ctx._("Thank you! Your answer to {id} is shared.", id=label_of(thread)),
        destination=Destination.EPHEMERAL,
    )


@feature.listener
async def answer_in_mirror(ctx: CommandContext) -> Reply | None:
    """A plain message in a question's topic, post or thread (or replying to it) answers it."""
    place = ctx.request.place
    mirror = await ctx.uow.advice.mirror_at(
        place.platform.value, place.chat_id, place.thread_id, ctx.request.reply_to
    )
    if mirror is None:
        return None
    question = await ctx.uow.advice.question(mirror.question_id)
    if question is None or question.status in (QuestionStatus.CLOSED, QuestionStatus.DELETED):
        return None
    await _add_answer(ctx, question, ctx.request.text, source=(mirror.platform, mirror.chat_id))
    return None  # the message itself is the answer: nothing to say in the thread


@feature.command(
    "solved",
    description=N_("Mark your question solved, optionally with the best answer"),
    args=[
        QUESTION_ARG,
        ArgSpec("best", ArgKind.INTEGER, N_("Number of the best answer"), required=False),
    ],
)
async def solved(ctx: CommandContext, question: str, best: int | None = None) -> Reply:
    thread = await advice.find_question(ctx.uow, ctx.community, question)
    advice.may_moderate(thread, ctx.member, ctx.may_administer(thread.community_id))
    answers = await ctx.uow.advice.answers(thread.id)
    best = best
    if best is not None:
        if not 1 <= best <= len(answers):
            raise UserFacingError(
                "{id} has no answer number {number}.", id=label_of(thread), number=best
            )
        thread.best_answer_id = answers[best - 1].id
    if thread.status == QuestionStatus.CLOSED:
        raise UserFacingError("{id} is closed; it takes no more answers.", id=label_of(thread))
    if thread.status == QuestionStatus.SOLVED and best is None:
        raise UserFacingError("{id} is already solved.", id=label_of(thread))
    thread.status = QuestionStatus.SOLVED
    thread.solved_at = ctx.now
    await advice.announce_state(
        ctx.uow, ctx.community, thread, now=ctx.now, state=QuestionStatus.SOLVED
    )
    return ctx.reply(
        ctx._("{id} is marked solved. Thank you for closing the loop!", id=label_of(thread)),
        destination=Destination.EPHEMERAL,  # in a group it would show who asked
    )


@feature.command(
    "threads",
    featured=True,
    description=N_("List questions: open, solved, mine or all, optionally by theme"),
    args=[
        ArgSpec("filter", ArgKind.CHOICE, N_("Which questions"), required=False, choices=FILTERS),
        ArgSpec(
            "theme",
            ArgKind.CHOICE,
            N_("Theme"),
            required=False,
            choices=THEMES,
            suggest="themes",
        ),
    ],
)
async def threads(
    ctx: CommandContext, filter: str | None = None, theme: str | None = None
) -> Reply:
    which = filter or QuestionStatus.OPEN
    status = (
        QuestionStatus(which) if which in (QuestionStatus.OPEN, QuestionStatus.SOLVED) else None
    )
    asker = ctx.member.id if which == "mine" else None
    # "mine" would tell a group who asked: it is personal, shown to the caller only.
    destination = Destination.PERSONAL if which == "mine" else Destination.HERE
    found = await ctx.uow.advice.questions(ctx.community.id, status=status, asker_id=asker)
    if theme := theme:
        found = [q for q in found if theme in q.themes]
    if not found:
        return ctx.reply(ctx._("No questions match. Ask one with /ask."), destination=destination)
    items = []
    counts = await ctx.uow.advice.answer_counts([question.id for question in found[:15]])
    for question in found[:15]:
        count = counts.get(question.id, 0)
        mark = "✅ " if question.status == QuestionStatus.SOLVED else ""
        items.append(
            line(
                bold(f"{mark}{label_of(question)}"),
                " ",
                question.title,
                " ",
                italic(ctx.ngettext("{count} answer", "{count} answers", count)),
            )
        )
    hint = ctx._("Open one with /thread {number}.", number=label_of(found[0]))
    return ctx.reply(bullets(items), hint, destination=destination)


@feature.command("thread", description=N_("Show a question and its answers"), args=[QUESTION_ARG])
async def show_thread(ctx: CommandContext, question: str) -> Reply:
    thread = await advice.find_question(ctx.uow, ctx.community, question)
    asker = await ctx.uow.members.get(thread.asker_id) if thread.asker_id else None
    answers = await ctx.uow.advice.answers(thread.id)
    blocks = list(question_card(thread, asker, ctx.translator, answers=len(answers)).blocks)
    for number, answer_row in enumerate(answers, start=1):
        author = await ctx.uow.members.get(answer_row.author_id) if answer_row.author_id else None
        best = answer_row.id == thread.best_answer_id
        blocks.append(
            line(
                f"{number}. ",
                answer_block(thread, answer_row, author, ctx.translator, best=best),
            )
        )
    moderator = ctx.may_administer(thread.community_id)
    if moderator and thread.anonymous and asker is not None:
        blocks.append(
            line(italic(ctx._("Moderators only: asked by {name}.", name=asker.display_name)))
        )
    buttons: tuple[tuple[Button, ...], ...] = ()
    private = ctx.request.place.kind is PlaceKind.PRIVATE  # in a group it would show the asker
    if (
        private
        and thread.status == QuestionStatus.OPEN
        and (thread.asker_id == ctx.member.id or moderator)
    ):
        buttons = ((Button(ctx._("Mark solved"), f"solved {thread.id}"),),)
    destination = Destination.EPHEMERAL if moderator and thread.anonymous else Destination.HERE
    return ctx.reply(*blocks, buttons=buttons, destination=destination)


STILL_INDEXING = N_(
    "Some questions are still being indexed, so these results may be incomplete. "
    "Search again in a minute."
)


@feature.command(
    "search_advice",
    featured=True,
    description=N_("Search past questions and answers"),
    args=[ArgSpec("text", ArgKind.TEXT, N_("Words to look for"), max_length=200)],
)
async def search_advice(ctx: CommandContext, text: str) -> Reply:
    results, complete = await ctx.services[AdviceSearch].search(ctx.uow, ctx.community, text)
    # While a community's index is (re)built, the search answers from the index it has.
    partial = () if complete else (line(italic(ctx._(STILL_INDEXING))),)
    if not results:
        return ctx.reply(
            ctx._("I found no past question about that. Ask your peers with /ask."), *partial
        )
    items = [
        line(
            bold(label_of(q)),
            " ",
            q.title,
            " ",
            italic(ctx.ngettext("{count} answer", "{count} answers", n)),
        )
        for _score, q, n in results
    ]
    return ctx.reply(
        bullets(items),
        ctx._("Open one with /thread {number}.", number=label_of(results[0][1])),
        *partial,
    )


@feature.command(
    "advice_notices",
    description=N_("Turn private notices about new questions on or off"),
    args=[
        ArgSpec(
            "state",
            ArgKind.CHOICE,
            N_("on or off"),
            choices=(Choice("on", "on"), Choice("off", "off")),
        )
    ],
)
async def advice_notices(ctx: CommandContext, state: str) -> Reply:
    on = state == "on"
    await ctx.uow.advice.set_notices(ctx.member.id, on)
    text = (
        N_("I will tell you privately about new questions that match your expertise.")
        if on
        else N_("I will not send you notices about new questions.")
    )
    return ctx.reply(ctx._(text), destination=Destination.EPHEMERAL)
