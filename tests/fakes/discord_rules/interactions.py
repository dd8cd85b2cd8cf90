"""Interaction responses: autocomplete results, modals and their text inputs (a message sent as
a response follows :mod:`.messages`).

Interaction responses (``interactions/receiving-and-responding``, ``components/reference``):

- ``autocomplete-choices``: an autocomplete result has at most 25 choices, each named 1-100
  characters, a string value at most 100 (#interaction-response-object-autocomplete).
- ``modal``: title 1-45 characters, custom_id 1-100, 1-5 components (#interaction-response-
  object-modal: the schema allows 40).
- ``text-input``: in a modal, a text input's custom_id has 1-100 characters and is unique in the
  modal, its label (on the text input in an action row, or on the Label around it) 1-45,
  placeholder at most 100, value at most 4000, min_length 0-4000 and max_length 1-4000 with
  min not above max; an action row in a modal holds one text input (#text-input, #label).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_rules.commands import CHOICES_LIMIT, _choice_breaches
from tests.fakes.discord_rules.errors import Breach, Path, _bad_length, _too_many
from tests.fakes.discord_rules.messages import CUSTOM_ID_LIMIT, message_breaches

MODAL_TITLE_LIMIT = 45
MODAL_COMPONENTS_LIMIT = 5
TEXT_INPUT_LABEL_LIMIT = 45
PLACEHOLDER_LIMIT = 100
TEXT_INPUT_LIMIT = 4000


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
