"""Application commands: the set, each command, its options at every level, and their choices.

Application commands (``interactions/application-commands``; names, descriptions and locales
are :mod:`.names`):

- ``options-count``: at most 25 options at every level: a command's options, a group's
  subcommands, a subcommand's options (#application-command-option-structure).
- ``nesting``: a command holds options, or subcommands and groups; a group holds only
  subcommands; a subcommand holds no subcommand or group (#subcommands-and-subcommand-groups).
- ``unique-option-names``: option names are unique within one options array (same table).
- ``required-first``: required options are listed before optional ones (same table).
- ``choices-with-autocomplete``: ``autocomplete`` may not be true when ``choices`` are present
  (same table, note \\*\\*). The rule that broke the real sync (issue 12).
- ``choices``: at most 25, only on STRING, INTEGER and NUMBER options; a choice name (and each
  localized name) has 1-100 characters; a string value at most 100 (#application-command-option-
  choice-structure: the schema allows 6000).
- ``autocomplete-type``: autocomplete only on STRING, INTEGER and NUMBER options.
- ``min-max-length``: ``min_length`` is not above ``max_length``; both only on STRING options.
- ``min-max-value``: ``min_value`` and ``max_value`` only on INTEGER and NUMBER options, within
  -2^53..2^53, the minimum not above the maximum (#application-command-option-structure).
- ``command-count``: at most 100 ``CHAT_INPUT`` commands globally, and as many per guild, with
  unique names (#registering-a-command).
- ``command-size``: at most 8000 characters for the combined name, description and value
  properties of a command, its options (subcommands and groups included) and choices; of each
  localized field only the longest version counts (#slash-commands; the limit was 4000 until
  discord-api-docs PR 6668, 2024-02).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.fakes.discord_rules.errors import Breach, Path, _bad_length, _length, _too_many
from tests.fakes.discord_rules.names import _locale_breaches, _localizations, _named_and_described

CHAT_INPUT = 1
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10
TAKES_CHOICES = {STRING, INTEGER, NUMBER}

OPTIONS_LIMIT = 25
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
COMMANDS_LIMIT = 100
COMMAND_SIZE_LIMIT = 8000


def command_set_breaches(commands: Any) -> list[Breach]:
    """Rules for a bulk overwrite (``PUT .../commands``): the set, then each command."""
    if not isinstance(commands, list):
        return []
    breaches: list[Breach] = []
    chat_input = [c for c in commands if isinstance(c, dict) and c.get("type", 1) == CHAT_INPUT]
    breaches += _too_many("command-count", (), chat_input, COMMANDS_LIMIT)
    seen: set[tuple[Any, Any]] = set()
    for index, command in enumerate(commands):
        if not isinstance(command, dict):
            continue
        key = (command.get("type", 1), command.get("name"))
        if key in seen:
            breaches.append(
                Breach(
                    "command-count",
                    (index, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {command.get('name')!r}",
                )
            )
        seen.add(key)
        breaches += command_breaches(command, (index,))
    return breaches


def command_breaches(command: Any, at: Path = ()) -> list[Breach]:
    """Rules for one command object (create, edit, or one item of a bulk overwrite)."""
    if not isinstance(command, dict) or command.get("type", 1) != CHAT_INPUT:
        return []
    breaches = _named_and_described(command, at)
    breaches += _options_breaches(command.get("options") or [], (*at, "options"), "command")
    size = command_size(command)
    if size > COMMAND_SIZE_LIMIT:
        breaches.append(
            Breach(
                "command-size",
                at,
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command exceeds maximum size ({COMMAND_SIZE_LIMIT}): {size} characters",
            )
        )
    return breaches


def _options_breaches(options: Any, at: Path, level: str) -> list[Breach]:
    """One options array at ``level`` ("command", "group" or "subcommand")."""
    if not isinstance(options, list):
        return []
    breaches = _too_many("options-count", at, options, OPTIONS_LIMIT)
    kinds = [o.get("type") for o in options if isinstance(o, dict)]
    nested = [k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds]
    allowed = {
        "command": "options, or subcommands and groups",
        "group": "subcommands only",
        "subcommand": "options only",
    }[level]
    mixed = (level == "command" and any(nested) and not all(nested)) or (
        level == "group" and any(k != SUB_COMMAND for k in kinds)
    )
    mixed = mixed or (level == "subcommand" and any(nested))
    if mixed:
        breaches.append(
            Breach(
                "nesting",
                at,
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                f"a {level} holds {allowed}",
            )
        )
    names = [o.get("name") for o in options if isinstance(o, dict)]
    for index, name in enumerate(names):
        if name in names[:index]:
            breaches.append(
                Breach(
                    "unique-option-names",
                    (*at, index, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    f"option name {name!r} is used twice",
                )
            )
    optional_seen = False
    for index, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        kind = option.get("type")
        if kind not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if option.get("required") and optional_seen:
                breaches.append(
                    Breach(
                        "required-first",
                        (*at, index, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
            optional_seen = optional_seen or not option.get("required")
        breaches += _option_breaches(option, (*at, index))
    return breaches


def _option_breaches(option: dict[str, Any], at: Path) -> list[Breach]:
    breaches = _named_and_described(option, at)
    kind = option.get("type")
    if kind == SUB_COMMAND_GROUP:
        return breaches + _options_breaches(option.get("options") or [], (*at, "options"), "group")
    if kind == SUB_COMMAND:
        return breaches + _options_breaches(
            option.get("options") or [], (*at, "options"), "subcommand"
        )
    choices = option.get("choices") or []
    if option.get("autocomplete") and choices:
        breaches.append(
            Breach(
                "choices-with-autocomplete",
                (*at, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
                "autocomplete may not be set to true if choices are present",
            )
        )
    if option.get("autocomplete") and kind not in TAKES_CHOICES:
        breaches.append(
            Breach(
                "autocomplete-type",
                (*at, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "autocomplete is only for STRING, INTEGER and NUMBER options",
            )
        )
    if choices and kind not in TAKES_CHOICES:
        breaches.append(
            Breach(
                "choices",
                (*at, "choices"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "choices are only for STRING, INTEGER and NUMBER options",
            )
        )
    breaches += _too_many("choices", (*at, "choices"), choices, CHOICES_LIMIT)
    for index, choice in enumerate(choices if isinstance(choices, list) else []):
        breaches += _choice_breaches(choice, (*at, "choices", index))
    low, high = option.get("min_length"), option.get("max_length")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        breaches.append(
            Breach(
                "min-max-length",
                (*at, "min_length"),
                "NUMBER_TYPE_MAX",
                f"min_length {low} is above max_length {high}",
            )
        )
    if (low is not None or high is not None) and kind != STRING:
        breaches.append(
            Breach(
                "min-max-length",
                (*at, "min_length" if low is not None else "max_length"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "min_length and max_length are only for STRING options",
            )
        )
    breaches += _value_bound_breaches(option, kind, at)
    return breaches


def _value_bound_breaches(option: dict[str, Any], kind: Any, at: Path) -> list[Breach]:
    low, high = option.get("min_value"), option.get("max_value")
    if low is None and high is None:
        return []
    if kind not in (INTEGER, NUMBER):
        return [
            Breach(
                "min-max-value",
                (*at, "min_value" if low is not None else "max_value"),
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "min_value and max_value are only for INTEGER and NUMBER options",
            )
        ]
    breaches = [
        Breach("min-max-value", (*at, name), "NUMBER_TYPE_MAX", f"{name} beyond -2^53..2^53")
        for name, value in (("min_value", low), ("max_value", high))
        if value is not None and not -(2**53) <= value <= 2**53
    ]
    if low is not None and high is not None and low > high:
        breaches.append(
            Breach(
                "min-max-value",
                (*at, "min_value"),
                "NUMBER_TYPE_MAX",
                f"min_value {low} is above max_value {high}",
            )
        )
    return breaches


def _choice_breaches(choice: Any, at: Path) -> list[Breach]:
    if not isinstance(choice, dict):
        return []
    breaches = _bad_length("choices", (*at, "name"), choice.get("name"), 1, CHOICE_NAME_LIMIT)
    for locale, localized in _localizations(choice.get("name_localizations")).items():
        breaches += _locale_breaches(locale, (*at, "name_localizations"))
        breaches += _bad_length(
            "choices", (*at, "name_localizations", locale), localized, 1, CHOICE_NAME_LIMIT
        )
    value = choice.get("value")
    if isinstance(value, str) and len(value) > CHOICE_VALUE_LIMIT:
        breaches += _bad_length("choices", (*at, "value"), value, 0, CHOICE_VALUE_LIMIT)
    return breaches


def _longest(item: dict[str, Any], field: str) -> int:
    versions = [item.get(field), *_localizations(item.get(f"{field}_localizations")).values()]
    return max((_length(v) for v in versions), default=0)


def command_size(command: dict[str, Any]) -> int:
    """Characters Discord counts towards a command's 8000 (the longest version of each field)."""

    def walk(item: dict[str, Any]) -> Iterator[int]:
        yield _longest(item, "name")
        yield _longest(item, "description")
        for choice in item.get("choices") or []:
            if isinstance(choice, dict):
                yield _longest(choice, "name")
                yield len(str(choice.get("value", "")))
        for option in item.get("options") or []:
            if isinstance(option, dict):
                yield from walk(option)

    return sum(walk(command))
