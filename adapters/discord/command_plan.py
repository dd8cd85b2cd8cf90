"""Which slash commands the core registry becomes, checked against Discord's limits.

Every visible core command becomes one Discord leaf command: ``/webinar add`` a subcommand of
the ``/webinar`` group. Discord forbids a command that is both a group and a leaf, so when the
core has ``/profile`` *and* ``/profile set``, the root form becomes ``/profile show``
(:data:`ROOT_SUBCOMMAND`). Long arguments are asked in a modal, a file in an attachment option.
Pure data, no discord.py: the plan is checked at start-up, before anything is sent to Discord;
:mod:`adapters.discord.commands` builds discord.py's objects from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.arguments import ArgSpec
from bot.core.registry import CommandSpec, Registry

ROOT_SUBCOMMAND = "show"
"""The subcommand that runs a root command which also has subcommands (``/profile show``)."""


@dataclass(frozen=True)
class SlashCommand:
    """One Discord leaf command and the core command it runs."""

    path: tuple[str, ...]
    """The Discord words: ``("profile", "show")``."""
    spec: CommandSpec
    options: tuple[ArgSpec, ...]
    """Arguments offered as slash options."""
    long_args: tuple[ArgSpec, ...]
    """Arguments asked in a modal (``ArgSpec(long=True)``)."""
    file: str | None = None
    """The description of the attachment option :data:`FILE_OPTION`, when the command takes
    a file (``CommandSpec.file``)."""

    @property
    def name(self) -> str:
        return " ".join(self.path)


@dataclass
class _Node:
    spec: CommandSpec | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def plan(registry: Registry) -> list[SlashCommand]:
    """The Discord leaf commands for every visible core command, resolving group/leaf clashes."""
    root = _Node()
    for spec in registry.all():
        if spec.hidden:
            continue
        node = root
        for word in spec.path:
            node = node.children.setdefault(word, _Node())
        node.spec = spec
    leaves: list[SlashCommand] = []

    def walk(node: _Node, path: tuple[str, ...]) -> None:
        if node.spec is not None:
            where = path
            if node.children:
                if ROOT_SUBCOMMAND in node.children:
                    raise ValueError(f"/{' '.join(path)} {ROOT_SUBCOMMAND} clashes with the root")
                where = (*path, ROOT_SUBCOMMAND)
            leaves.append(_leaf(where, node.spec))
        for word, child in sorted(node.children.items()):
            walk(child, (*path, word))

    for word, child in sorted(root.children.items()):
        walk(child, (word,))
    _check_limits(leaves)
    return leaves


MAX_TOP_LEVEL = 100
MAX_SUBCOMMANDS = 25
MAX_OPTIONS = 25
MAX_MODAL_FIELDS = 5
"""A modal holds 1-5 components: one text box per long argument."""
OPTION_NAME = re.compile(r"[-_'\w]{1,32}")
"""Discord's name pattern, near enough: letters and digits of any script, ``-``, ``_``, ``'``."""


def _check_limits(leaves: list[SlashCommand]) -> None:
    """Fail at start-up, with the culprit named, on what Discord would refuse at sync."""
    children: dict[tuple[str, ...], set[str]] = {}
    for leaf in leaves:
        if len(leaf.path) > 3:
            raise ValueError(f"Discord allows three command words at most: /{leaf.name}")
        if len(leaf.options) + (leaf.file is not None) > MAX_OPTIONS:
            raise ValueError(f"Discord allows {MAX_OPTIONS} options at most: /{leaf.name}")
        if len(leaf.long_args) > MAX_MODAL_FIELDS:
            raise ValueError(f"Discord allows {MAX_MODAL_FIELDS} boxes in a form: /{leaf.name}")
        for arg in leaf.options:
            if not OPTION_NAME.fullmatch(arg.name) or arg.name.lower() != arg.name:
                raise ValueError(f"Discord option names are 1-32 lowercase: {arg.name!r}")
        for depth in range(len(leaf.path)):
            children.setdefault(leaf.path[:depth], set()).add(leaf.path[depth])
    for parent, words in children.items():
        limit = MAX_TOP_LEVEL if not parent else MAX_SUBCOMMANDS
        if len(words) > limit:
            raise ValueError(f"Discord allows {limit} commands under /{' '.join(parent)}")


def _leaf(path: tuple[str, ...], spec: CommandSpec) -> SlashCommand:
    options = tuple(arg for arg in spec.args if not arg.long)
    long_args = tuple(arg for arg in spec.args if arg.long)
    if spec.file is not None and any(arg.name == FILE_OPTION for arg in spec.args):
        raise ValueError(f"/{spec.name}: an argument may not be named {FILE_OPTION!r}")
    return SlashCommand(path, spec, options, long_args, spec.file)


FILE_OPTION = "file"
"""The attachment option of a command that takes a file."""
