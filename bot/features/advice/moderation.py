"""Moderation of advice threads (admins): /thread close, reopen, delete and themes."""

from __future__ import annotations

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UserFacingError
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.vocab import THEMES
from bot.features.advice import service as advice
from bot.features.advice.cards import label_of
from bot.features.advice.commands import QUESTION_ARG, feature
from bot.features.advice.parsing import question_id, theme_code
from storage.models import Community, Question
from storage.statuses import QuestionStatus

STATE_NAMES = (N_("open"), N_("closed"), N_("deleted"))


async def _moderated(ctx: CommandContext, reference: str) -> tuple[Question, Community]:
    """The question an admin moderates, and its community: one of the admin's own community
    (the secretariat: any); deleted ones stay hidden, like for everyone."""
    missing = NotFoundError("There is no question {id}.", id=reference.strip()[:20])
    question = ctx.administered(await ctx.uow.advice.question(question_id(reference)), missing)
    community = await ctx.uow.communities.get(question.community_id)
    if question.status == QuestionStatus.DELETED or community is None:
        raise missing
    return question, community


@feature.command(
    "thread",
    "close",
    description=N_("Close a question (moderation)"),
    args=[QUESTION_ARG],
    audience=Audience.ADMIN,
)
@feature.command(
    "thread",
    "reopen",
    description=N_("Reopen a question (moderation)"),
    args=[QUESTION_ARG],
    audience=Audience.ADMIN,
)
@feature.command(
    "thread",
    "delete",
    description=N_("Delete a question (moderation)"),
    args=[QUESTION_ARG],
    audience=Audience.ADMIN,
)
async def moderate(ctx: CommandContext, question: str) -> Reply:
    spec = ctx.data["command"]
    action = spec.path[1]
    thread, community = await _moderated(ctx, question)
    new_status = {
        "close": QuestionStatus.CLOSED,
        "reopen": QuestionStatus.OPEN,
        "delete": QuestionStatus.DELETED,
    }[action]
    if thread.status == new_status:
        raise UserFacingError("{id} is already {state}.", id=label_of(thread), state=new_status)
    thread.status = new_status
    await ctx.audit(f"thread.{action}", within=community.id, question_id=thread.id)
    # Every mirror is told; adapters remove the topic or post where the platform allows.
    await advice.announce_state(ctx.uow, community, thread, now=ctx.now, state=new_status)
    return ctx.reply(
        ctx._("Done: {id} is now {state}.", id=label_of(thread), state=ctx._(new_status)),
        destination=Destination.EPHEMERAL,
    )


@feature.command(
    "thread",
    "themes",
    description=N_("Change the themes of a question (moderation)"),
    args=[QUESTION_ARG, ArgSpec("themes", ArgKind.TEXT, N_("#themes"), max_length=300)],
    audience=Audience.ADMIN,
)
async def retheme(ctx: CommandContext, question: str, themes: str) -> Reply:
    thread, community = await _moderated(ctx, question)
    codes = []
    for tag in themes.replace(",", " ").split():
        code = theme_code(tag.lstrip("#"), ctx.translator)
        if code is None:
            raise NotFoundError(
                "I don't know the theme #{tag}. Themes: {themes}.",
                tag=tag.lstrip("#"),
                themes=", ".join("#" + c.value for c in THEMES),
            )
        codes.append(code)
    thread.themes = list(dict.fromkeys(codes))
    await ctx.audit(
        "thread.themes", within=community.id, question_id=thread.id, themes=thread.themes
    )
    return ctx.reply(
        ctx._("Themes of {id} updated.", id=label_of(thread)),
        destination=Destination.EPHEMERAL,
    )
