"""Message bodies: content, emptiness, embeds and (non-v2) components.

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
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_rules.errors import Breach, Path, _bad_length, _length, _too_many

CUSTOM_ID_LIMIT = 100
CONTENT_LIMIT = 2000
EMBEDS_LIMIT = 10
EMBED_TOTAL_LIMIT = 6000
ROWS_LIMIT = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_LIMIT = 80
COMPONENTS_V2_FLAG = 1 << 15

EMPTY_MESSAGE = {"code": 50006, "message": "Cannot send an empty message"}


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
