"""Discord application commands derived from the core registry.

Every visible core command becomes a slash command: ``/webinar add`` a subcommand of the
``/webinar`` group. Discord forbids a command that is both a group and a leaf, so when the core
has ``/profile`` *and* ``/profile set``, the root form becomes ``/profile show``
(:data:`ROOT_SUBCOMMAND`); which leaf commands there are, within Discord's limits:
:mod:`adapters.discord.command_plan`. Options are typed from each :class:`ArgSpec`;
descriptions and choice labels are localized for French and Spanish from our catalogs (Discord
has no Arabic locale), subcommand and option names from the keywords file
(``bot/data/keywords.toml``); the root words stay English, as the menus and ``/help`` show them.
Admin-only roots get the Manage Server default permission; the core still checks every call.

How they are localized and declared to Discord: :mod:`adapters.discord.declaring`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.app_commands.transformers import CommandParameter

from adapters.discord.command_plan import FILE_OPTION, SlashCommand, plan
from adapters.shorten import shorten
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.registry import Audience, CommandSpec, Registry

MAX_CHOICES = 25
DESCRIPTION_LIMIT = 100
CHOICE_NAME_LIMIT = 100
OPTION_TEXT_LIMIT = 6000

LANGUAGE_CHOICES: tuple[tuple[str, str], ...] = (
    ("English", "en"),
    ("Français", "fr"),
    ("Español", "es"),
    ("العربية", "ar"),
)


# ---------------------------------------------------------------------------------------------
# building discord.py objects

CommandRunner = Callable[[discord.Interaction, SlashCommand, dict[str, Any]], Awaitable[None]]
Autocompleter = Callable[
    [discord.Interaction, ArgSpec, str], Awaitable[list[app_commands.Choice[str]]]
]


def localizable(text: str, limit: int = DESCRIPTION_LIMIT) -> locale_str:
    """``text`` as Discord's default (shortened to ``limit`` at a word boundary if needed),
    keeping the whole catalog message id so :class:`CatalogTranslator` still finds it."""
    return locale_str(shorten(text, limit) or "…", msgid=text)


def _describe(text: str) -> locale_str:
    return localizable(text, DESCRIPTION_LIMIT)


def offers_choices(arg: ArgSpec) -> bool:
    """Whether the option lists fixed choices; else, if it has a source or too many choices
    for Discord, it autocompletes. Never both: Discord refuses ``autocomplete`` next to
    ``choices`` (and with it the whole command set)."""
    return arg.kind is ArgKind.LANGUAGE or 0 < len(arg.choices) <= MAX_CHOICES


def autocompletes(arg: ArgSpec) -> bool:
    return not offers_choices(arg) and (bool(arg.suggest) or len(arg.choices) > MAX_CHOICES)


def parameter(arg: ArgSpec, autocompleter: Autocompleter) -> CommandParameter:
    """The slash option for one core argument: fixed choices when they fit Discord's 25,
    else autocomplete (from the argument's source, or filtering its choices)."""
    is_integer = arg.kind is ArgKind.INTEGER
    choices: list[app_commands.Choice[Any]] = []
    autocomplete = None
    if arg.kind is ArgKind.LANGUAGE:
        choices = [app_commands.Choice(name=label, value=code) for label, code in LANGUAGE_CHOICES]
    elif offers_choices(arg):
        choices = [
            app_commands.Choice(name=localizable(c.label, CHOICE_NAME_LIMIT), value=c.value)
            for c in arg.choices
        ]
    elif autocompletes(arg):

        async def autocomplete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return await autocompleter(interaction, arg, current)

    return CommandParameter(
        name=arg.name,
        description=_describe(arg.description),
        required=arg.required,
        default=None,
        choices=choices,
        type=(
            discord.AppCommandOptionType.integer
            if is_integer
            else discord.AppCommandOptionType.string
        ),
        # Discord enforces the bounds in its form: a number out of range cannot be sent.
        min_value=arg.bounds[0] if is_integer and not choices else None,
        max_value=(
            (arg.bounds[1] if is_integer else min(arg.limit, OPTION_TEXT_LIMIT))
            if not choices
            else None
        ),
        autocomplete=autocomplete,
        _rename=locale_str(arg.name),  # so CatalogTranslator names it in the reader's language
    )


async def _placeholder(interaction: discord.Interaction) -> None:
    """Stands in for the real callback while discord.py reads the (empty) signature."""


def _command(
    slash: SlashCommand, runner: CommandRunner, autocompleter: Autocompleter
) -> app_commands.Command[Any, ..., Any]:
    command: app_commands.Command[Any, ..., Any] = app_commands.Command(
        name=slash.path[-1],
        description=_describe(slash.spec.description),
        callback=_placeholder,
        extras={"core": slash.spec.name},
    )
    params = [parameter(arg, autocompleter) for arg in slash.options]
    if slash.file is not None:
        params.append(
            CommandParameter(
                name=FILE_OPTION,
                description=_describe(slash.file),
                required=False,
                default=None,
                type=discord.AppCommandOptionType.attachment,
            )
        )
    # Discord wants required options first; the core reads options by name.
    params.sort(key=lambda p: not p.required)
    command._params = {param.name: param for param in params}

    async def run(interaction: discord.Interaction, **values: Any) -> None:
        await runner(interaction, slash, values)

    command._callback = run
    return command


def _group_description(
    registry: Registry, key: tuple[str, ...], leaves: list[SlashCommand]
) -> locale_str:
    """The root command's description, else the list of its subcommands (``add, list``)."""
    described = registry.get(key)
    if described is not None:
        return _describe(described.description)
    words = sorted({leaf.path[len(key)] for leaf in leaves if leaf.path[: len(key)] == key})
    return localizable(f"/{' '.join(key)}: {', '.join(words)}", DESCRIPTION_LIMIT)


def _admin_only(specs: list[CommandSpec]) -> bool:
    return bool(specs) and all(spec.audience is Audience.ADMIN for spec in specs)


MANAGE_GUILD = discord.Permissions(manage_guild=True)


def build_commands(
    registry: Registry, runner: CommandRunner, autocompleter: Autocompleter
) -> tuple[list[app_commands.Command[Any, ..., Any] | app_commands.Group], list[SlashCommand]]:
    """Top-level discord.py commands and groups for the registry, and the plan they follow."""
    leaves = plan(registry)
    roots: dict[str, app_commands.Command[Any, ..., Any] | app_commands.Group] = {}
    groups: dict[tuple[str, ...], app_commands.Group] = {}
    for slash in leaves:
        specs = [leaf.spec for leaf in leaves if leaf.path[0] == slash.path[0]]
        admin = _admin_only(specs)
        command = _command(slash, runner, autocompleter)
        if len(slash.path) == 1:
            if admin:
                command.default_permissions = MANAGE_GUILD
            roots[slash.path[0]] = command
            continue
        parent: app_commands.Group | None = None
        for depth in range(1, len(slash.path)):
            key = slash.path[:depth]
            group = groups.get(key)
            if group is None:
                group = app_commands.Group(
                    name=key[-1],
                    description=_group_description(registry, key, leaves),
                    parent=parent,
                    default_permissions=MANAGE_GUILD if admin and depth == 1 else None,
                )
                groups[key] = group
                if parent is None:
                    roots[key[0]] = group
                elif group.name not in {child.name for child in parent.commands}:
                    parent.add_command(group)
            parent = group
        assert parent is not None
        parent.add_command(command)
    return [roots[name] for name in root_order(registry, roots)], leaves


def root_order(registry: Registry, roots: Iterable[str]) -> list[str]:
    """The top-level commands in ``/help``'s order (by topic, featured first). Discord's picker
    sorts a bot's commands by name, so this order shows only where a client keeps it (the
    declared payload, integrations settings); the descriptions still say what each is for."""
    order: list[str] = []
    for specs in registry.by_topic(Audience.ADMIN).values():
        order.extend(spec.path[0] for spec in specs if spec.path[0] not in order)
    known = set(roots)
    return [word for word in order if word in known] + sorted(known - set(order))
