"""/help in screens that fit a chat message: topics first, then one topic, then one command.

The grouping comes from the registry (each command's ``topic``), so a new command lands in
its topic's screen without touching this module. Every screen shows only what the caller may
run, and stays under Discord's 2,000 characters (``tests/features/general/test_help.py``).
"""

from __future__ import annotations

from typing import Any

from bot.core.context import CommandContext
from bot.core.registry import Audience, CommandSpec
from bot.core.richtext import bold, bullets, code, line
from bot.core.topics import TOPIC_TEXTS, Topic, topic_named

EXAMPLES = 3
"""Commands named per topic on the first screen."""


def usage(ctx: CommandContext, spec: CommandSpec) -> str:
    """The usage line the caller reads (one place, so localized argument names plug in here)."""
    return spec.usage_in(ctx.translator.language)


def separator(ctx: CommandContext) -> str:
    """The list comma of the reader's language (Arabic writes "،")."""
    return "، " if ctx.translator.language == "ar" else ", "


def topic_word(ctx: CommandContext, topic: Topic) -> str:
    return ctx._(TOPIC_TEXTS[topic].word)


def overview(ctx: CommandContext) -> list[Any]:
    """The first screen: one line per topic the caller can use, with a few example commands.

    It depends only on the commands, the language and the audience, and it is most of what a
    ``/help`` costs: built once per language and audience (rich text is immutable), then read."""
    key = ("help overview", ctx.translator.language, ctx.audience)
    return list(ctx.registry.derived(key, lambda: _overview(ctx)))


def _overview(ctx: CommandContext) -> list[Any]:
    rows = []
    for topic, specs in ctx.registry.by_topic(ctx.audience).items():
        examples = [spec for spec in specs if spec.featured][:EXAMPLES] or specs[:EXAMPLES]
        rows.append(
            line(
                bold(ctx._(TOPIC_TEXTS[topic].title)),
                " — ",
                separator(ctx).join("/" + spec.name for spec in examples),
                " → ",
                code(f"/help {topic_word(ctx, topic)}"),
            )
        )
    blocks: list[Any] = [line(bold(ctx._("What I can do for you"))), bullets(rows)]
    blocks.append(
        line(ctx._("For one command's details, type /help and its name, e.g. /help rsvp."))
    )
    if ctx.audience is Audience.ADMIN:
        blocks.append(line(ctx._("You are an admin: admin commands are included.")))
    return blocks


def topic_screen(ctx: CommandContext, topic: Topic) -> list[Any]:
    """Every command of ``topic`` the caller may run, with its usage and what it does."""
    specs = ctx.registry.by_topic(ctx.audience).get(topic, [])
    title = line(bold(ctx._(TOPIC_TEXTS[topic].title)))
    if not specs:
        return [title, line(ctx._("None of these commands is open to you yet."))]
    items = [line(code(usage(ctx, spec)), " — ", ctx._(spec.description)) for spec in specs]
    return [
        title,
        bullets(items),
        line(ctx._("For one command's details, type /help and its name, e.g. /help rsvp.")),
    ]


def command_screen(ctx: CommandContext, specs: list[CommandSpec]) -> list[Any]:
    """One command (or a command and its subcommands): usage, purpose, each argument."""
    blocks: list[Any] = []
    for spec in specs:
        blocks.append(line(code(usage(ctx, spec))))
        blocks.append(line(ctx._(spec.description)))
        if spec.args:
            blocks.append(
                bullets([line(code(arg.name), " — ", ctx._(arg.description)) for arg in spec.args])
            )
    return blocks


def commands_named(ctx: CommandContext, words: list[str]) -> list[CommandSpec]:
    """The visible commands ``words`` name, that the caller may run: the command itself, or
    every subcommand under a group word (``/help webinar``)."""
    words = [word.lstrip("/").lower() for word in words if word.lstrip("/")]
    if not words:
        return []
    visible = ctx.registry.visible_to(ctx.audience)
    spec, used = ctx.registry.resolve(words)
    prefix = spec.path if spec is not None and used == len(words) else tuple(words)
    return [s for s in visible if s.path[: len(prefix)] == prefix]


def help_screen(ctx: CommandContext, subject: str | None) -> list[Any]:
    """What ``/help [subject]`` shows: the overview, a topic, a command, or the topics again
    with a word on what was not found."""
    if not subject or not subject.strip():
        return overview(ctx)
    topic = topic_named(subject)
    if topic is not None:
        return topic_screen(ctx, topic)
    specs = commands_named(ctx, subject.split())
    if specs:
        return command_screen(ctx, specs)
    topics = separator(ctx).join(topic_word(ctx, t) for t in ctx.registry.by_topic(ctx.audience))
    return [
        line(
            ctx._(
                "I know no topic or command called “{subject}”. Topics: {topics}.",
                subject=subject.strip()[:40],
                topics=topics,
            )
        ),
        *overview(ctx)[1:2],
    ]
