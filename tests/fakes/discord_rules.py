"""Discord's documented rules that its OpenAPI description cannot express.

The fake checks every body against the OpenAPI schema first (tests/specs/discord-openapi.json);
the schema knows types and most lengths, but not rules across fields, across levels or across a
whole request. Those are checked here, each as Discord documents it (pages under
https://discord.com/developers/docs/, read 2026-08 from github.com/discord/discord-api-docs):

Application commands (``interactions/application-commands``):

- ``name``: a ``CHAT_INPUT`` command's, group's, subcommand's and option's name, and every
  localized name, matches ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`` and uses the
  lowercase variant of every letter that has one (#application-command-naming). The brief
  quoted the pattern without ``'``; the current page allows it.
- ``description``: 1-100 characters for commands, groups, subcommands and options, and for every
  localized description (#application-command-structure, #application-command-option-structure).
- ``locale``: localization keys are Discord locales (``reference#locales``; there is no Arabic).
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

Interaction responses (``interactions/receiving-and-responding``, ``components/reference``):

- ``autocomplete-choices``: an autocomplete result has at most 25 choices, each named 1-100
  characters, a string value at most 100 (#interaction-response-object-autocomplete).
- ``modal``: title 1-45 characters, custom_id 1-100, 1-5 components (#interaction-response-
  object-modal: the schema allows 40).
- ``text-input``: in a modal, a text input's custom_id has 1-100 characters and is unique in the
  modal, its label (on the text input in an action row, or on the Label around it) 1-45,
  placeholder at most 100, value at most 4000, min_length 0-4000 and max_length 1-4000 with
  min not above max; an action row in a modal holds one text input (#text-input, #label).

Messages (``resources/message``, ``components/reference``):

- ``content``: at most 2000 characters (#create-message; the schema allows 4000).
- ``empty-message``: a new message has content, embeds, components, stickers, a poll or files
  (#create-message, note \\*); Discord answers 50006 "Cannot send an empty message".
- ``embeds``: at most 10; title 256, description 4096, at most 25 fields with name 256 and value
  1024, footer text 2048, author name 256, all of them together at most 6000 (#embed-limits).
- ``components``: at most 5 action rows in a (non-v2) message; a row holds 1-5 buttons or one
  select; a button label at most 80 characters; a non-link button has a custom_id of 1-100
  characters, a link button a url and no custom_id; custom ids are unique in the message
  (#action-row, #button, #custom-id).

Threads (``resources/channel#start-thread-without-message``, ``#add-thread-member``,
``topics/permissions``; confirmed 2026-11 against discord.js's and twilight's renderings of the
same pages). The schema already holds a thread's name to 1-100 characters, its type to 10, 11
or 12 (12, private, when left out in API v9/v10) and ``invitable`` to a boolean (meaningful for
private threads only: whether non-moderators may add others; discord.py sends it for every
thread). What depends on the server's state is checked by the fake when it routes: a private
thread opens only in a text channel (type 0), an announcement thread (10) only in an
announcement channel (5), else 400 code 50024 "Cannot execute action on this channel type"
(forum and media channels take posts instead); the bot needs Create Private Threads
(``1 << 36``) for a private thread, Create Public Threads (``1 << 35``) for a public one, and
Send Messages in Threads (``1 << 38``) to add a member (403, code 50013), who must be a known
user (404, 10013); an archived thread takes no new member (400, code 50083).

Every breach is answered as Discord answers: HTTP 400 with ``{"code": 50035, "errors": {...},
"message": "Invalid Form Body"}``, the errors nested along the path of the faulty field
(``{"0": {"options": {"1": {"autocomplete": {"_errors": [{"code", "message"}]}}}}}``). The codes
``BASE_TYPE_*`` and ``APPLICATION_COMMAND_INVALID_NAME`` are the ones Discord is known to send;
the others name the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]

CHAT_INPUT = 1
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10
TAKES_CHOICES = {STRING, INTEGER, NUMBER}

NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100
OPTIONS_LIMIT = 25
CHOICES_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
COMMANDS_LIMIT = 100
COMMAND_SIZE_LIMIT = 8000
MODAL_TITLE_LIMIT = 45
MODAL_COMPONENTS_LIMIT = 5
CUSTOM_ID_LIMIT = 100
TEXT_INPUT_LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
TEXT_INPUT_LIMIT = 4000
CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBED_TOTAL_LIMIT = 6000
ROWS_LIMIT = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_LIMIT = 80
COMPONENTS_V2_FLAG = 1 << 15

DISCORD_LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)
"""Discord's locales (https://discord.com/developers/docs/reference#locales)."""

_DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F))
_THAI = ((0x0E00, 0x0E7F),)


@dataclass(frozen=True)
class Breach:
    """One broken rule: where in the body, Discord's error code and message, the rule's name."""

    rule: str
    path: Path
    code: str
    message: str

    def __str__(self) -> str:
        where = ".".join(str(step) for step in self.path) or "(body)"
        return f"{where}: {self.message} [{self.rule}]"


# ---------------------------------------------------------------------------------------------
# helpers


def _in_ranges(char: str, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def _name_char_allowed(char: str) -> bool:
    """``[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]`` (Python's ``re`` has no \\p classes)."""
    if char in "-_'":
        return True
    if unicodedata.category(char)[0] in "LN":
        return True
    return _in_ranges(char, _DEVANAGARI) or _in_ranges(char, _THAI)


def name_problem(name: Any) -> str | None:
    """Why ``name`` is not a valid CHAT_INPUT command or option name, or None."""
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_LIMIT:
        return f"a name has 1-{NAME_LIMIT} characters"
    bad = [char for char in name if not _name_char_allowed(char)]
    if bad:
        return f"{name!r} has characters outside the allowed pattern: {''.join(bad)!r}"
    upper = [char for char in name if char.lower() != char]
    if upper:
        return f"{name!r} is not lowercase: {''.join(upper)!r}"
    return None


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _bad_length(rule: str, path: Path, value: Any, low: int, high: int) -> list[Breach]:
    if isinstance(value, str) and low <= len(value) <= high:
        return []
    shown = len(value) if isinstance(value, str) else "no"
    return [
        Breach(
            rule,
            path,
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between {low} and {high} in length (has {shown}).",
        )
    ]


def _too_many(rule: str, path: Path, items: Any, limit: int) -> list[Breach]:
    if isinstance(items, list) and len(items) > limit:
        return [
            Breach(
                rule,
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {limit} or fewer in length (has {len(items)}).",
            )
        ]
    return []


def _localizations(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------------------------------------
# application commands


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


def _named_and_described(item: dict[str, Any], at: Path) -> list[Breach]:
    """Name, description and their localizations, for commands and options alike."""
    breaches: list[Breach] = []
    problem = name_problem(item.get("name"))
    if problem:
        breaches.append(Breach("name", (*at, "name"), "APPLICATION_COMMAND_INVALID_NAME", problem))
    for locale, localized in _localizations(item.get("name_localizations")).items():
        breaches += _locale_breaches(locale, (*at, "name_localizations"))
        problem = name_problem(localized)
        if problem:
            breaches.append(
                Breach(
                    "name",
                    (*at, "name_localizations", locale),
                    "APPLICATION_COMMAND_INVALID_NAME",
                    problem,
                )
            )
    breaches += _bad_length(
        "description", (*at, "description"), item.get("description"), 1, DESCRIPTION_LIMIT
    )
    for locale, localized in _localizations(item.get("description_localizations")).items():
        breaches += _locale_breaches(locale, (*at, "description_localizations"))
        breaches += _bad_length(
            "description",
            (*at, "description_localizations", locale),
            localized,
            1,
            DESCRIPTION_LIMIT,
        )
    return breaches


def _locale_breaches(locale: str, at: Path) -> list[Breach]:
    if locale in DISCORD_LOCALES:
        return []
    return [
        Breach("locale", (*at, locale), "LOCALE_INVALID", f"{locale!r} is not a Discord locale")
    ]


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


# ---------------------------------------------------------------------------------------------
# interaction responses


def callback_breaches(body: Any) -> list[Breach]:
    """Rules for ``POST /interactions/{id}/{token}/callback`` by response type."""
    if not isinstance(body, dict):
        return []
    kind, data = body.get("type"), body.get("data")
    if kind == 8:
        return autocomplete_breaches(data, ("data",))
    if kind == 9:
        return modal_breaches(data, ("data",))
    if kind in (4, 7) and isinstance(data, dict):
        return message_breaches(data, ("data",))
    return []


def autocomplete_breaches(data: Any, at: Path = ()) -> list[Breach]:
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        return []
    breaches = _too_many("autocomplete-choices", (*at, "choices"), choices, CHOICES_LIMIT)
    for index, choice in enumerate(choices):
        for breach in _choice_breaches(choice, (*at, "choices", index)):
            breaches.append(
                Breach("autocomplete-choices", breach.path, breach.code, breach.message)
            )
    return breaches


def modal_breaches(data: Any, at: Path = ()) -> list[Breach]:
    if not isinstance(data, dict):
        return []
    breaches = _bad_length("modal", (*at, "title"), data.get("title"), 1, MODAL_TITLE_LIMIT)
    breaches += _bad_length("modal", (*at, "custom_id"), data.get("custom_id"), 1, CUSTOM_ID_LIMIT)
    components = data.get("components")
    if not isinstance(components, list) or not components:
        breaches += _bad_length("modal", (*at, "components"), None, 1, MODAL_COMPONENTS_LIMIT)
        return breaches
    breaches += _too_many("modal", (*at, "components"), components, MODAL_COMPONENTS_LIMIT)
    seen: set[str] = set()
    for index, component in enumerate(components):
        where = (*at, "components", index)
        if not isinstance(component, dict):
            continue
        if component.get("type") == 1:  # an action row holding one text input, labelled
            inner = component.get("components") or []
            if len(inner) != 1:
                breaches.append(
                    Breach(
                        "text-input",
                        (*where, "components"),
                        "BASE_TYPE_BAD_LENGTH",
                        "an action row in a modal holds one text input",
                    )
                )
            for position, text_input in enumerate(inner):
                breaches += _text_input_breaches(
                    text_input, (*where, "components", position), seen, label_at=None
                )
        elif component.get("type") == 18:  # a Label around its component
            breaches += _bad_length(
                "text-input", (*where, "label"), component.get("label"), 1, TEXT_INPUT_LABEL_LIMIT
            )
            inner_component = component.get("component")
            if isinstance(inner_component, dict) and inner_component.get("type") == 4:
                breaches += _text_input_breaches(
                    inner_component, (*where, "component"), seen, label_at=where
                )
    return breaches


def _text_input_breaches(
    text_input: Any, at: Path, seen: set[str], *, label_at: Path | None
) -> list[Breach]:
    if not isinstance(text_input, dict):
        return []
    breaches: list[Breach] = []
    custom_id = text_input.get("custom_id")
    breaches += _bad_length("text-input", (*at, "custom_id"), custom_id, 1, CUSTOM_ID_LIMIT)
    if isinstance(custom_id, str):
        if custom_id in seen:
            breaches.append(
                Breach(
                    "text-input",
                    (*at, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    f"custom_id {custom_id!r} is used twice",
                )
            )
        seen.add(custom_id)
    if label_at is None:  # a text input in an action row carries its own label
        breaches += _bad_length(
            "text-input", (*at, "label"), text_input.get("label"), 1, TEXT_INPUT_LABEL_LIMIT
        )
    placeholder = text_input.get("placeholder")
    if placeholder is not None:
        breaches += _bad_length(
            "text-input", (*at, "placeholder"), placeholder, 0, PLACEHOLDER_LIMIT
        )
    value = text_input.get("value")
    if value is not None:
        breaches += _bad_length("text-input", (*at, "value"), value, 0, TEXT_INPUT_LIMIT)
    low, high = text_input.get("min_length"), text_input.get("max_length")
    if isinstance(low, int) and not 0 <= low <= TEXT_INPUT_LIMIT:
        breaches.append(
            Breach("text-input", (*at, "min_length"), "NUMBER_TYPE_MAX", "min_length 0-4000")
        )
    if isinstance(high, int) and not 1 <= high <= TEXT_INPUT_LIMIT:
        breaches.append(
            Breach("text-input", (*at, "max_length"), "NUMBER_TYPE_MAX", "max_length 1-4000")
        )
    if isinstance(low, int) and isinstance(high, int) and low > high:
        breaches.append(
            Breach(
                "text-input",
                (*at, "min_length"),
                "NUMBER_TYPE_MAX",
                f"min_length {low} is above max_length {high}",
            )
        )
    return breaches


# ---------------------------------------------------------------------------------------------
# messages


def message_breaches(body: Any, at: Path = ()) -> list[Breach]:
    """Rules for a message body (create or edit; emptiness is :func:`is_empty_message`)."""
    if not isinstance(body, dict):
        return []
    breaches: list[Breach] = []
    content = body.get("content")
    if isinstance(content, str) and len(content) > CONTENT_LIMIT:
        breaches.append(
            Breach(
                "content",
                (*at, "content"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {CONTENT_LIMIT} or fewer in length (has {len(content)}).",
            )
        )
    breaches += _embeds_breaches(body.get("embeds"), (*at, "embeds"))
    if not int(body.get("flags") or 0) & COMPONENTS_V2_FLAG:
        breaches += _components_breaches(body.get("components"), (*at, "components"))
    return breaches


def is_empty_message(body: Any, files: int) -> bool:
    """True when a new message would have nothing to show (Discord: 50006)."""
    if files:
        return False
    if not isinstance(body, dict):
        return True
    if isinstance(body.get("content"), str) and body["content"]:
        return False
    return not any(
        body.get(key) for key in ("embeds", "components", "sticker_ids", "poll", "attachments")
    )


_EMBED_TEXTS = (
    (("title",), 256),
    (("description",), 4096),
    (("footer", "text"), 2048),
    (("author", "name"), 256),
)


def _embeds_breaches(embeds: Any, at: Path) -> list[Breach]:
    if not isinstance(embeds, list):
        return []
    breaches = _too_many("embeds", at, embeds, EMBEDS_LIMIT)
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        for keys, limit in _EMBED_TEXTS:
            value: Any = embed
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if isinstance(value, str):
                total += len(value)
                if len(value) > limit:
                    breaches += _bad_length("embeds", (*at, index, *keys), value, 0, limit)
        fields = embed.get("fields") or []
        breaches += _too_many("embeds", (*at, index, "fields"), fields, 25)
        for position, item in enumerate(fields if isinstance(fields, list) else []):
            if not isinstance(item, dict):
                continue
            for key, limit in (("name", 256), ("value", 1024)):
                text = item.get(key)
                total += _length(text)
                breaches += _bad_length(
                    "embeds", (*at, index, "fields", position, key), text, 1, limit
                )
    if total > EMBED_TOTAL_LIMIT:
        breaches.append(
            Breach(
                "embeds",
                at,
                "BASE_TYPE_MAX_LENGTH",
                f"Embed size exceeds maximum size of {EMBED_TOTAL_LIMIT} (has {total}).",
            )
        )
    return breaches


_SELECTS = {3, 5, 6, 7, 8}


def _components_breaches(rows: Any, at: Path) -> list[Breach]:
    if not isinstance(rows, list):
        return []
    breaches = _too_many("components", at, rows, ROWS_LIMIT)
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("type") != 1:
            breaches.append(
                Breach(
                    "components",
                    (*at, index),
                    "COMPONENT_LAYOUT_INVALID",
                    "a message's top-level components are action rows",
                )
            )
            continue
        items = row.get("components") or []
        kinds = [item.get("type") for item in items if isinstance(item, dict)]
        if not items or (any(k in _SELECTS for k in kinds) and len(items) != 1):
            breaches += _bad_length("components", (*at, index, "components"), None, 1, 1)
        breaches += _too_many("components", (*at, index, "components"), items, BUTTONS_PER_ROW)
        for position, item in enumerate(items):
            if isinstance(item, dict):
                breaches += _interactive_breaches(item, (*at, index, "components", position), seen)
    return breaches


def _interactive_breaches(item: dict[str, Any], at: Path, seen: set[str]) -> list[Breach]:
    breaches: list[Breach] = []
    is_button = item.get("type") == 2
    if is_button and item.get("label") is not None:
        breaches += _bad_length(
            "components", (*at, "label"), item.get("label"), 0, BUTTON_LABEL_LIMIT
        )
    link = is_button and item.get("style") == 5
    custom_id = item.get("custom_id")
    if link:
        if not item.get("url") or custom_id is not None:
            breaches.append(
                Breach(
                    "components",
                    at,
                    "BUTTON_COMPONENT_INVALID",
                    "a link button has a url and no custom_id",
                )
            )
        return breaches
    if is_button and item.get("style") == 6:  # premium: an sku, nothing else
        return breaches
    breaches += _bad_length("components", (*at, "custom_id"), custom_id, 1, CUSTOM_ID_LIMIT)
    if isinstance(custom_id, str):
        if custom_id in seen:
            breaches.append(
                Breach(
                    "components",
                    (*at, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    f"custom_id {custom_id!r} is used twice in the message",
                )
            )
        seen.add(custom_id)
    return breaches


# ---------------------------------------------------------------------------------------------
# routing and the answer


_COMMANDS = re.compile(r"^/applications/[^/]+(?:/guilds/[^/]+)?/commands(?:/(?P<id>[^/]+))?$")
_CALLBACK = re.compile(r"^/interactions/[^/]+/[^/]+/callback$")
_WEBHOOK = re.compile(r"^/webhooks/[^/]+/[^/]+(?:/messages/[^/]+)?$")
_CHANNEL_MESSAGE = re.compile(r"^/channels/[^/]+/messages(?:/[^/]+)?$")
_FORUM_POST = re.compile(r"^/channels/[^/]+/threads$")

TEXT_CHANNEL, ANNOUNCEMENT_CHANNEL = 0, 5
ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD = 10, 11, 12
THREAD_TYPES = (ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD)
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
WRONG_CHANNEL_TYPE = {"code": 50024, "message": "Cannot execute action on this channel type"}
ARCHIVED_THREAD = {"code": 50083, "message": "Thread is archived"}
MISSING_PERMISSIONS = {"code": 50013, "message": "Missing Permissions"}


def thread_type_fits(parent_type: int, thread_type: int) -> bool:
    """Whether a thread of ``thread_type`` may start (without a message) in the parent."""
    if thread_type == PRIVATE_THREAD:
        return parent_type == TEXT_CHANNEL
    if thread_type == ANNOUNCEMENT_THREAD:
        return parent_type == ANNOUNCEMENT_CHANNEL
    return parent_type in (TEXT_CHANNEL, ANNOUNCEMENT_CHANNEL)


def thread_permission(thread_type: int) -> int:
    """The permission the bot needs in the parent channel to start this kind of thread."""
    return CREATE_PRIVATE_THREADS if thread_type == PRIVATE_THREAD else CREATE_PUBLIC_THREADS


def request_breaches(method: str, path: str, body: Any) -> list[Breach]:
    """Every documented rule ``body`` breaks for ``method path`` (a path without /api/v10)."""
    commands = _COMMANDS.match(path)
    if commands:
        if method == "PUT" and commands["id"] is None:
            return command_set_breaches(body)
        if method in ("POST", "PATCH"):
            return command_breaches(body) if method == "POST" else _patch_breaches(body)
        return []
    if method == "POST" and _CALLBACK.match(path):
        return callback_breaches(body)
    if _WEBHOOK.match(path) or _CHANNEL_MESSAGE.match(path):
        return message_breaches(body)
    if method == "POST" and _FORUM_POST.match(path) and isinstance(body, dict):
        return message_breaches(body.get("message"), ("message",))
    return []


def _patch_breaches(body: Any) -> list[Breach]:
    """A command edit may leave out name and description: check what it sends."""
    if not isinstance(body, dict):
        return []
    filled = {"name": "x", "description": "x", **body}
    return command_breaches(filled)


def new_message_body(method: str, path: str, body: Any) -> Any | None:
    """The message a request creates (to check it is not empty), or None for other requests."""
    if method != "POST":
        return None
    if _CHANNEL_MESSAGE.match(path) and path.endswith("/messages"):
        return body
    if _WEBHOOK.match(path) and "/messages/" not in path:
        return body
    if _FORUM_POST.match(path) and isinstance(body, dict):
        return body.get("message")
    if _CALLBACK.match(path) and isinstance(body, dict) and body.get("type") == 4:
        return body.get("data") or {}
    return None


def invalid_form_body(breaches: Iterable[Breach]) -> dict[str, Any]:
    """Discord's 400 answer: the errors nested along each breach's path."""
    errors: dict[str, Any] = {}
    for breach in breaches:
        node = errors
        for step in breach.path:
            node = node.setdefault(str(step), {})
        node.setdefault("_errors", []).append({"code": breach.code, "message": breach.message})
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}


EMPTY_MESSAGE = {"code": 50006, "message": "Cannot send an empty message"}
