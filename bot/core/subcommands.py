"""Forgiving group commands: ``/webinar`` alone lists what follows it, ``/champion aprove lucia``
suggests ``/champion approve lucia``.

A group word (``webinar``, ``champion``) is not a command by itself; before, the router
answered "I don't know the command /champion. Did you mean /champion?". The router asks here
first: :func:`group_help` answers for a group, in the reader's language, naming only the
subcommands the reader may run.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.core.arguments import drop_words
from bot.core.keywords import fold, shown, spellings
from bot.core.messages import Destination, Reply
from bot.core.richtext import bullets, code, line

if TYPE_CHECKING:
    from bot.core.context import CommandContext
    from bot.core.registry import CommandSpec

CUTOFF = 0.7
"""How close a mistyped word must be to a subcommand (difflib's ratio) to be suggested."""


def prefix_of(ctx: CommandContext, words: Sequence[str]) -> tuple[str, ...]:
    """The longest run of ``words`` that starts some command (subcommand words in any
    language), in English: ``["champion", "aprove"]`` → ``("champion",)``."""
    registry = ctx.registry
    path: tuple[str, ...] = (words[0].lower(),) if words else ()
    if not path or not any(spec.path[0] == path[0] for spec in registry.all()):
        return ()
    for word in words[1:3]:
        longer = registry.subcommand_path(path, word)
        if longer is None:
            break
        path = longer
    return path


def nearest(word: str, choices: Sequence[CommandSpec], depth: int) -> CommandSpec | None:
    """The command whose word at ``depth`` is nearest to ``word`` in any language."""
    folded = fold(word)
    names: dict[str, CommandSpec] = {}
    for spec in choices:
        for spelled in spellings(spec.path[depth]):
            names.setdefault(fold(spelled), spec)
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=CUTOFF)
    return names[close[0]] if close else None


def group_help(
    ctx: CommandContext, words: Sequence[str], text: str, named: int, *, exact: bool = False
) -> Reply | None:
    """The answer for ``words`` (the command words, then what was typed) when they stop at a
    group: the nearest subcommand with the whole corrected line, else the list of
    subcommands. ``text`` is what was typed after the ``named`` words the platform split.
    ``None`` when ``words`` do not start with a group the reader may use any of (the router's
    usual answer then), or, with ``exact``, when the word after the group is nothing like one
    of its subcommands."""
    prefix = prefix_of(ctx, words)
    if not prefix:
        return None
    reachable = ctx.registry.subcommands(prefix, ctx.audience, hidden=True)
    offered = [spec for spec in reachable if not spec.hidden]
    if not reachable:
        return None
    language = ctx.translator.language
    typed = " ".join((prefix[0], *(shown(w, language) for w in prefix[1:])))
    if len(words) > len(prefix):
        mistyped = words[len(prefix)]
        found = nearest(mistyped, reachable, len(prefix))
        if found is not None:
            rest = drop_words(text, len(prefix) - named + 1)
            corrected = " ".join(
                part
                for part in (
                    "/" + typed,
                    shown(found.path[len(prefix)], language),
                    *(shown(w, language) for w in found.path[len(prefix) + 1 :]),
                    rest,
                )
                if part
            )
            return ctx.reply(
                ctx._(
                    "I don't know “{word}” after /{command}. Did you mean:",
                    word=mistyped[:40],
                    command=typed,
                ),
                line(code(corrected)),
                destination=Destination.EPHEMERAL,
            )
        if exact:
            return None
    if not offered:
        return None
    blocks: list[Any] = [ctx._("Add one more word after /{command}. Choose one:", command=typed)]
    shortest = sorted(offered, key=lambda spec: (len(spec.path), spec.path))
    next_words = {spec.path[: len(prefix) + 1] for spec in shortest}
    items = []
    for path in sorted(next_words):
        spec = next((s for s in shortest if s.path == path), None)
        if spec is None:  # only deeper commands: name the word
            spelled = (path[0], *(shown(word, language) for word in path[1:]))
            items.append(line(code("/" + " ".join(spelled))))
        else:
            items.append(line(code(spec.usage_in(language)), " — ", ctx._(spec.description)))
    blocks.append(bullets(items))
    return ctx.reply(*blocks, destination=Destination.EPHEMERAL)
