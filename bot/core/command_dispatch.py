"""Dispatch: what a request asks for, whether the caller may ask it, and the refusals.

:class:`~bot.core.router.Router` runs a request in its transaction and hands it here: a command
is resolved with the registry, authorized for who asks and where, and its arguments parsed;
free text goes to the conversation in progress or to the listeners. Nothing here commits or
rolls back: a :class:`UserFacingError` raised here is the router's to answer.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.core.arguments import (
    drop_words,
    parse_option_arguments,
    parse_text_arguments,
    split_words,
)
from bot.core.context import CommandContext, conversation_key
from bot.core.errors import UsageError, UserFacingError
from bot.core.keywords import localize
from bot.core.messages import Destination, PlaceKind, Reply, Request, RequestKind
from bot.core.registry import Audience, CommandSpec, Where
from bot.core.richtext import code, line
from bot.core.subcommands import group_help

if TYPE_CHECKING:
    from bot.core.ports import Ports


ANSWER_PREFIX = "="
"""A button action starting with this answers the question the bot just asked."""


def as_list(result: Reply | Sequence[Reply] | None) -> list[Reply]:
    """A handler's answer as a list: handlers may return one reply, several or none."""
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    return list(result)


class CommandDispatch:
    """The router's half that reads a request: which command, may the caller run it, how a
    refusal reads. Needs only the ports' registry; :class:`~bot.core.router.Router` adds the
    transaction around it."""

    ports: Ports

    async def _dispatch(self, ctx: CommandContext) -> list[Reply]:
        request = ctx.request
        if request.kind is RequestKind.BUTTON and request.text.startswith(ANSWER_PREFIX):
            return await self._text(ctx, request.text[len(ANSWER_PREFIX) :])
        if request.kind is RequestKind.TEXT:
            return await self._text(ctx, request.text)
        return await self._command(ctx)

    async def _text(self, ctx: CommandContext, text: str) -> list[Reply]:
        request = ctx.request
        conversation = await ctx.uow.conversations.get(
            ctx.member.id, request.place.platform.value, conversation_key(request)
        )
        only_a_file = request.upload is not None and not text.strip()
        if conversation is not None:
            flow = self.ports.registry.flow_named(conversation.flow)
            if flow is not None and only_a_file and not flow.takes_files:
                return []  # a file with no words is no answer to this question
            if flow is not None:
                ctx.data = {
                    "step": conversation.step,
                    "values": dict(conversation.data),
                    "answer": text.strip(),
                }
                return as_list(await flow.handler(ctx))
            await ctx.end_conversation()
        if only_a_file:
            return []  # a file sent with no words and no question asked: not for the bot
        for listener in self.ports.registry.listeners:
            result = await listener(ctx)
            if result is not None:
                return as_list(result)
        if request.place.kind is PlaceKind.PRIVATE:
            return [ctx.reply(ctx._("I answer commands. Type /help to see what I can do for you."))]
        return []

    async def _command(self, ctx: CommandContext) -> list[Reply]:
        """Run a command. ``request.command`` holds the words the platform already split
        (``"webinar"`` from Telegram, ``"webinar add"`` from Discord); the rest is in ``text``
        or, for slash commands, in ``options``."""
        request = ctx.request
        named, typed = self._words(request)
        spec, used = self.ports.registry.resolve(named + typed)
        if spec is None or used < len(named):
            words = named + typed
            helped = group_help(ctx, words, request.text, len(named))
            if helped is None:
                self._refuse_group(ctx, (words or [""])[0].lower())
            return [helped or self._unknown(ctx, (words or [""])[0])]
        self._authorize(ctx, spec)
        try:
            if request.options is not None:
                args = parse_option_arguments(spec.args, request.options)
            else:
                args = parse_text_arguments(spec.args, drop_words(request.text, used - len(named)))
        except UsageError as error:
            words = named + typed
            if request.options is None and len(words) > used:  # /forget confirmr
                helped = group_help(ctx, words, request.text, len(named), exact=True)
                if helped is not None:
                    return [helped]
            error.values.setdefault("usage", spec.usage_in(ctx.translator.language))
            raise
        ctx.data["command"] = spec
        return as_list(await spec.run(ctx, args))

    @staticmethod
    def _words(request: Request) -> tuple[list[str], list[str]]:
        """The command words the platform split, and the typed words that may continue them."""
        named = [w.lstrip("/").split("@")[0] for w in (request.command or "").split()]
        typed = split_words(request.text) if request.options is None else []
        return named, typed

    def _resolve(self, ctx: CommandContext) -> CommandSpec | None:
        """The command a COMMAND request names, or ``None``."""
        if ctx.request.kind is not RequestKind.COMMAND:
            return None
        named, typed = self._words(ctx.request)
        spec, used = self.ports.registry.resolve(named + typed)
        return spec if spec is not None and used >= len(named) else None

    def _authorize(self, ctx: CommandContext, spec: CommandSpec) -> None:
        if spec.audience > ctx.audience:
            if spec.audience is Audience.ADMIN:
                raise UserFacingError(
                    "/{command} is for the network's admins. If you need it, ask the secretariat.",
                    command=spec.name,
                )
            raise UserFacingError(
                "/{command} is for approved champions. An admin can approve you with "
                "/champion approve.",
                command=spec.name,
            )
        kind = ctx.request.place.kind
        if spec.where is Where.PRIVATE and kind is not PlaceKind.PRIVATE:
            raise UserFacingError(
                "Please use /{command} in a private chat with me.", command=spec.name
            )
        if spec.where is Where.GROUP and kind is PlaceKind.PRIVATE:
            raise UserFacingError("Please use /{command} in a group.", command=spec.name)

    def _refuse_group(self, ctx: CommandContext, word: str) -> None:
        """A group the reader has nothing to choose in (``/mentor`` for a member, ``/call``
        for a champion: at most buttons' hidden targets) is refused like ``/call`` is, naming
        who it is for (the lowest audience above the reader's that has a listed subcommand),
        never answered as an unknown command."""
        above = [
            spec
            for spec in self.ports.registry.group(word)
            if spec.audience > ctx.audience and not spec.hidden
        ]
        if above:
            first = min(above, key=lambda s: s.audience)  # /champion: "for the admins"
            self._authorize(ctx, dataclasses.replace(first, path=first.path[:1]))

    def _unknown(self, ctx: CommandContext, word: str) -> Reply:
        word = word.lstrip("/").split("@")[0][:40]
        known = [spec.path[0] for spec in self.ports.registry.visible_to(ctx.audience)]
        close = difflib.get_close_matches(word.lower(), sorted(set(known)), n=1, cutoff=0.6)
        blocks: list[Any] = [ctx._("I don't know the command /{command}.", command=word)]
        if close and close[0] != word.lower():  # never "did you mean" the same command back
            blocks.append(ctx._("Did you mean /{command}?", command=close[0]))
        blocks.append(ctx._("Type /help to see what I can do."))
        return ctx.reply(*blocks, destination=Destination.EPHEMERAL)

    def _error_reply(self, ctx: CommandContext, error: UserFacingError) -> Reply:
        usage = error.values.pop("usage", None) if isinstance(error, UsageError) else None
        values = localize(error.values, ctx.translator.language)
        blocks: list[Any] = [ctx.translator.translate(error.message, **values)]
        if usage:
            blocks.append(line(ctx._("Usage:"), " ", code(str(usage))))
        return ctx.reply(*blocks, destination=Destination.EPHEMERAL)
