"""/help and /cancel: what every member can always do."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.ports import Ports
from bot.core.suggestions import Suggestion, SuggestionQuery
from bot.core.topics import TOPIC_TEXTS, Topic
from bot.features.general.help import help_screen

feature = Feature("general", topic=Topic.ACCOUNT)


UPDATE_MEMORY = timedelta(days=7)
"""Platforms redeliver within minutes or hours; a week of update ids is plenty."""


@feature.periodic
async def forget_old_updates(ports: Ports, now: datetime) -> int:
    """Keep the processed-updates table small: drop ids older than :data:`UPDATE_MEMORY`."""
    async with ports.unit_of_work() as uow:
        return await uow.updates.forget_before(now - UPDATE_MEMORY)


@feature.command(
    "help",
    description=N_("List what I can do for you"),
    args=[
        ArgSpec(
            "topic",
            ArgKind.TEXT,
            N_("A topic (advice, events...) or a command"),
            required=False,
            max_length=60,
            suggest="help_topics",
        )
    ],
)
async def help_command(ctx: CommandContext, topic: str | None = None) -> Reply:
    """Topics first, then ``/help <topic>`` or ``/help <command>``; only what the caller may
    run. Personal: in a group it goes to the caller, in their language and with their rights."""
    return ctx.reply(*help_screen(ctx, topic), destination=Destination.PERSONAL)


@feature.suggestion_source("help_topics")
async def help_topic_suggestions(query: SuggestionQuery) -> list[Suggestion]:
    """The topic words in the reader's language, then the commands, matching what was typed."""
    typed = query.prefix.strip().lstrip("/").casefold()
    words = [query.translator.gettext(TOPIC_TEXTS[topic].word) for topic in Topic]
    words += query.ports.registry.top_level()
    return [Suggestion(word, word) for word in words if typed in word.casefold()]


@feature.command("cancel", description=N_("Stop the question I am asking you"))
async def cancel(ctx: CommandContext) -> Reply:
    await ctx.end_conversation()
    return ctx.reply(
        ctx._("All right, I stopped. Nothing more will be asked."),
        destination=Destination.EPHEMERAL,  # a note for the caller: a group need not read it
    )
