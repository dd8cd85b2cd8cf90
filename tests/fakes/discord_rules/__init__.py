"""Discord's documented rules that its OpenAPI description cannot express.

The fake checks every body against the OpenAPI schema first (tests/specs/discord-openapi.json);
the schema knows types and most lengths, but not rules across fields, across levels or across a
whole request. Those are checked here, each as Discord documents it (pages under
https://discord.com/developers/docs/, read 2026-08 from github.com/discord/discord-api-docs).

One module per subject, each listing the rules it checks, with the page it follows:

- :mod:`.names`: names, descriptions and locales of commands, options and choices;
- :mod:`.commands`: application commands: the set, options at every level, choices, sizes;
- :mod:`.interactions`: interaction responses: autocomplete results, modals, text inputs;
- :mod:`.messages`: message bodies: content, emptiness, embeds, components;
- :mod:`.threads`: where threads may start, the permissions they take, Discord's refusals;
- :mod:`.routes`: which rules a request must keep, by method and path;
- :mod:`.errors`: :class:`Breach`, and Discord's ``Invalid Form Body`` answer.
"""

from __future__ import annotations

from tests.fakes.discord_rules.commands import (
    CHAT_INPUT,
    CHOICE_NAME_LIMIT,
    CHOICE_VALUE_LIMIT,
    CHOICES_LIMIT,
    COMMAND_SIZE_LIMIT,
    COMMANDS_LIMIT,
    INTEGER,
    NUMBER,
    OPTIONS_LIMIT,
    STRING,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    TAKES_CHOICES,
    command_breaches,
    command_set_breaches,
    command_size,
)
from tests.fakes.discord_rules.errors import Breach, Path, invalid_form_body
from tests.fakes.discord_rules.interactions import (
    MODAL_COMPONENTS_LIMIT,
    MODAL_TITLE_LIMIT,
    PLACEHOLDER_LIMIT,
    TEXT_INPUT_LABEL_LIMIT,
    TEXT_INPUT_LIMIT,
    autocomplete_breaches,
    callback_breaches,
    modal_breaches,
)
from tests.fakes.discord_rules.messages import (
    BUTTON_LABEL_LIMIT,
    BUTTONS_PER_ROW,
    COMPONENTS_V2_FLAG,
    CONTENT_LIMIT,
    CUSTOM_ID_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_LIMIT,
    EMPTY_MESSAGE,
    ROWS_LIMIT,
    is_empty_message,
    message_breaches,
)
from tests.fakes.discord_rules.names import (
    DESCRIPTION_LIMIT,
    DISCORD_LOCALES,
    NAME_LIMIT,
    name_problem,
)
from tests.fakes.discord_rules.routes import new_message_body, request_breaches
from tests.fakes.discord_rules.threads import (
    ANNOUNCEMENT_CHANNEL,
    ANNOUNCEMENT_THREAD,
    ARCHIVED_THREAD,
    CREATE_PRIVATE_THREADS,
    CREATE_PUBLIC_THREADS,
    MISSING_PERMISSIONS,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    SEND_MESSAGES_IN_THREADS,
    TEXT_CHANNEL,
    THREAD_TYPES,
    WRONG_CHANNEL_TYPE,
    thread_permission,
    thread_type_fits,
)

__all__ = [
    "ANNOUNCEMENT_CHANNEL",
    "ANNOUNCEMENT_THREAD",
    "ARCHIVED_THREAD",
    "BUTTONS_PER_ROW",
    "BUTTON_LABEL_LIMIT",
    "CHAT_INPUT",
    "CHOICES_LIMIT",
    "CHOICE_NAME_LIMIT",
    "CHOICE_VALUE_LIMIT",
    "COMMANDS_LIMIT",
    "COMMAND_SIZE_LIMIT",
    "COMPONENTS_V2_FLAG",
    "CONTENT_LIMIT",
    "CREATE_PRIVATE_THREADS",
    "CREATE_PUBLIC_THREADS",
    "CUSTOM_ID_LIMIT",
    "DESCRIPTION_LIMIT",
    "DISCORD_LOCALES",
    "EMBEDS_LIMIT",
    "EMBED_TOTAL_LIMIT",
    "EMPTY_MESSAGE",
    "INTEGER",
    "MISSING_PERMISSIONS",
    "MODAL_COMPONENTS_LIMIT",
    "MODAL_TITLE_LIMIT",
    "NAME_LIMIT",
    "NUMBER",
    "OPTIONS_LIMIT",
    "PLACEHOLDER_LIMIT",
    "PRIVATE_THREAD",
    "PUBLIC_THREAD",
    "ROWS_LIMIT",
    "SEND_MESSAGES_IN_THREADS",
    "STRING",
    "SUB_COMMAND",
    "SUB_COMMAND_GROUP",
    "TAKES_CHOICES",
    "TEXT_CHANNEL",
    "TEXT_INPUT_LABEL_LIMIT",
    "TEXT_INPUT_LIMIT",
    "THREAD_TYPES",
    "WRONG_CHANNEL_TYPE",
    "Breach",
    "Path",
    "autocomplete_breaches",
    "callback_breaches",
    "command_breaches",
    "command_set_breaches",
    "command_size",
    "invalid_form_body",
    "is_empty_message",
    "message_breaches",
    "modal_breaches",
    "name_problem",
    "new_message_body",
    "request_breaches",
    "thread_permission",
    "thread_type_fits",
]
