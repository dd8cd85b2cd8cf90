"""The Bot API's documented rules that its machine-readable description cannot express.

:mod:`tests.fakes.botapi_spec` checks each call against the published fields (types, required
flags, and the lengths written in field descriptions: text "1-4096 characters" after entity
parsing, caption "0-1024", callback_data "1-64 bytes", answerCallbackQuery text "0-200",
BotCommand description "1-256" (older pages said 3-256), topic name "1-128", inline result id
"1-64 Bytes"; HTML through :mod:`tests.fakes.telegram_html`). The rules below are in the prose
of https://core.telegram.org/bots/api (Bot API 10.1), each with the ``description`` Telegram
answers where it is known:

- ``command-name``: a BotCommand's command has 1-32 characters and "can contain only lowercase
  English letters, digits and underscores" (#botcommand) → ``BOT_COMMAND_INVALID``.
- ``commands-count``: setMyCommands takes "at most 100 commands" (#setmycommands) →
  ``BOT_COMMANDS_TOO_MUCH``.
- ``language-code``: setMyCommands' language_code is "a two-letter ISO 639-1 language code" or
  empty (#setmycommands).
- ``parse-mode``: parse_mode is one of the formatting options "MarkdownV2", "HTML", "Markdown"
  (#formatting-options), wherever it appears → ``unsupported parse_mode``.
- ``button-type``: an InlineKeyboardButton uses "exactly one of the fields other than text,
  icon_custom_emoji_id, and style" (#inlinekeyboardbutton).
- ``button-text``: a button has a label (its ``text``) that is not empty → ``BUTTON_TEXT_EMPTY``
  (not in the page's prose; Telegram refuses it and a blank button is a bug anyway).
- ``edit-target``: editMessageText and editMessageReplyMarkup name the message by chat_id and
  message_id, or by inline_message_id ("Required if inline_message_id is not specified");
  editMessageText sends text or rich_message (#editmessagetext).
- ``inline-results``: answerInlineQuery: "No more than 50 results per query are allowed"
  (``RESULTS_TOO_MUCH``), result ids unique in the answer (``RESULT_ID_DUPLICATE``),
  next_offset at most 64 bytes ("Offset length can't exceed 64 bytes") (#answerinlinequery).
- ``text-empty``: a message's text must be non-empty after entity parsing (#sendmessage "1-4096
  characters after entities parsing"; the length check counts, this one says what Telegram
  answers for blank text) → ``message text is empty``.

Inline keyboards have no documented size limit beyond these (counts of rows and buttons are
folklore that varies by client), so the fake enforces none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.telegram_html import HTMLParseError, parse_telegram_html

COMMAND = re.compile(r"[a-z0-9_]{1,32}")
LANGUAGE_CODE = re.compile(r"[a-z]{2}")
PARSE_MODES = {"HTML", "MarkdownV2", "Markdown"}
COMMANDS_LIMIT = 100
INLINE_RESULTS_LIMIT = 50
OFFSET_LIMIT_BYTES = 64
BUTTON_TYPES = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_EDITS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"}


@dataclass(frozen=True)
class Breach:
    """One broken rule and what Telegram answers for it (after "Bad Request: ")."""

    rule: str
    description: str

    def __str__(self) -> str:
        return f"{self.description} [{self.rule}]"


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _walk(value: Any) -> list[dict[str, Any]]:
    """Every JSON object inside ``value`` (itself included)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        found.append(value)
        for item in value.values():
            found += _walk(item)
    elif isinstance(value, list):
        for item in value:
            found += _walk(item)
    return found


def call_breaches(method: str, params: dict[str, Any]) -> list[Breach]:
    """Every documented rule ``method(params)`` breaks (params as sent: strings and JSON)."""
    decoded = {name: _json(value) for name, value in params.items() if not isinstance(value, bytes)}
    breaches: list[Breach] = []
    breaches += _parse_mode_breaches(params, decoded)
    breaches += _keyboard_breaches(decoded.get("reply_markup"))
    if method == "setMyCommands":
        breaches += _commands_breaches(decoded.get("commands"), params.get("language_code"))
    if method in _EDITS:
        breaches += _edit_breaches(method, params)
    if method == "answerInlineQuery":
        breaches += _inline_breaches(decoded.get("results"), params.get("next_offset"))
    if method in ("sendMessage", "editMessageText") and isinstance(params.get("text"), str):
        breaches += _text_breaches(params["text"], params.get("parse_mode"))
    return breaches


def _parse_mode_breaches(params: dict[str, Any], decoded: dict[str, Any]) -> list[Breach]:
    modes = [params.get("parse_mode")]
    for value in decoded.values():
        modes += [item.get("parse_mode") for item in _walk(value)]
    if any(mode is not None and mode not in PARSE_MODES for mode in modes):
        return [Breach("parse-mode", "unsupported parse_mode")]
    return []


def _keyboard_breaches(markup: Any) -> list[Breach]:
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        return []
    breaches: list[Breach] = []
    for row in rows:
        for button in row if isinstance(row, list) else []:
            if not isinstance(button, dict):
                continue
            kinds = [kind for kind in BUTTON_TYPES if kind in button]
            if len(kinds) != 1:
                breaches.append(
                    Breach(
                        "button-type",
                        "can't parse inline keyboard button: exactly one of "
                        f"{', '.join(BUTTON_TYPES)} is needed, found {kinds or 'none'}",
                    )
                )
            if not str(button.get("text", "")).strip():
                breaches.append(Breach("button-text", "BUTTON_TEXT_EMPTY"))
    return breaches


def _commands_breaches(commands: Any, language_code: Any) -> list[Breach]:
    breaches: list[Breach] = []
    if isinstance(commands, list):
        if len(commands) > COMMANDS_LIMIT:
            breaches.append(Breach("commands-count", "BOT_COMMANDS_TOO_MUCH"))
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            if not isinstance(name, str) or not COMMAND.fullmatch(name):
                breaches.append(Breach("command-name", f"BOT_COMMAND_INVALID ({name!r})"))
    if language_code and not LANGUAGE_CODE.fullmatch(str(language_code)):
        breaches.append(
            Breach("language-code", f"invalid language code specified: {language_code!r}")
        )
    return breaches


def _edit_breaches(method: str, params: dict[str, Any]) -> list[Breach]:
    breaches: list[Breach] = []
    by_chat = "chat_id" in params and "message_id" in params
    by_inline = "inline_message_id" in params
    if by_chat == by_inline:
        breaches.append(
            Breach(
                "edit-target",
                "message identifier is not specified"
                if not by_inline
                else "chat_id and message_id or inline_message_id, not both",
            )
        )
    if method == "editMessageText" and "text" not in params and "rich_message" not in params:
        breaches.append(Breach("edit-target", "text or rich_message is required"))
    return breaches


def _inline_breaches(results: Any, next_offset: Any) -> list[Breach]:
    breaches: list[Breach] = []
    if isinstance(results, list):
        if len(results) > INLINE_RESULTS_LIMIT:
            breaches.append(Breach("inline-results", "RESULTS_TOO_MUCH"))
        ids = [item.get("id") for item in results if isinstance(item, dict)]
        if len(set(ids)) != len(ids):
            breaches.append(Breach("inline-results", "RESULT_ID_DUPLICATE"))
        for item in results:
            content = item.get("input_message_content") if isinstance(item, dict) else None
            if isinstance(content, dict) and isinstance(content.get("message_text"), str):
                breaches += _text_breaches(content["message_text"], content.get("parse_mode"))
    if isinstance(next_offset, str) and len(next_offset.encode()) > OFFSET_LIMIT_BYTES:
        breaches.append(Breach("inline-results", "next_offset is longer than 64 bytes"))
    return breaches


def _text_breaches(text: str, parse_mode: Any) -> list[Breach]:
    shown = text
    if parse_mode == "HTML":
        try:
            shown = parse_telegram_html(text)
        except HTMLParseError:
            return []  # the spec check reports "can't parse entities"
    if not shown.strip():
        return [Breach("text-empty", "message text is empty")]
    return []
