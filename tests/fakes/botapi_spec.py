"""Checks a Bot API call against the published description of the API (tests/specs/).

The method must exist, every required field be present, no field be unknown, and texts stay
within their documented lengths ("1-4096 characters", "1-64 bytes"). Objects sent as JSON
(keyboards, command lists, scopes) are checked field by field the same way.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from tests.fakes.telegram_html import HTMLParseError, parse_telegram_html

SPEC_PATH = Path(__file__).resolve().parent.parent / "specs" / "telegram-bot-api.json"
_CHARS = re.compile(r"(\d+)-(\d+) characters", re.IGNORECASE)
_BYTES = re.compile(r"(\d+)-(\d+) bytes", re.IGNORECASE)
"""The spec writes both "bytes" and "Bytes" (inline result ids: "1-64 Bytes")."""
_FORMATTED = {"text", "caption", "message_text"}
"""Fields whose text Telegram parses with ``parse_mode`` (inside objects too, e.g. the
``message_text`` of an inline result): HTML must parse, and lengths count the parsed text."""
_SCALARS = {"String", "Integer", "Float", "Boolean", "True", "InputFile"}


@cache
def spec() -> dict[str, Any]:
    return dict(json.loads(SPEC_PATH.read_text(encoding="utf-8")))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_length(where: str, field: dict[str, Any], value: str, plain: str | None) -> list[str]:
    errors: list[str] = []
    description = str(field.get("description", ""))
    chars = _CHARS.search(description)
    if chars:
        low, high = int(chars.group(1)), int(chars.group(2))
        size = _utf16(plain if plain is not None else value)
        if not low <= size <= high:
            errors.append(f"{where}: {size} characters, documented {low}-{high}")
    size_bytes = _BYTES.search(description)
    if size_bytes:
        low, high = int(size_bytes.group(1)), int(size_bytes.group(2))
        if not low <= len(value.encode()) <= high:
            errors.append(f"{where}: {len(value.encode())} bytes, documented {low}-{high}")
    return errors


def _check_value(where: str, types: list[str], value: Any) -> list[str]:
    """Check a decoded JSON value against the field's declared types."""
    errors: list[str] = []
    for declared in types:
        inner = declared
        depth = 0
        while inner.startswith("Array of "):
            inner = inner[len("Array of ") :]
            depth += 1
        candidate = _check_nested(where, inner, depth, value)
        if not candidate:
            return []
        errors = candidate
    return errors


def _check_nested(where: str, type_name: str, depth: int, value: Any) -> list[str]:
    if depth:
        if not isinstance(value, list):
            return [f"{where}: expected an array"]
        errors: list[str] = []
        for index, item in enumerate(value):
            errors += _check_nested(f"{where}[{index}]", type_name, depth - 1, item)
        return errors
    if type_name in _SCALARS:
        return []
    return check_object(where, type_name, value)


def check_object(where: str, type_name: str, value: Any) -> list[str]:
    """Check one JSON object against a type of the spec (unions: any subtype may match)."""
    declared = spec()["types"].get(type_name)
    if declared is None:
        return [f"{where}: unknown type {type_name}"]
    if not isinstance(value, dict):
        return [f"{where}: expected an object of type {type_name}"]
    if "subtypes" in declared:
        attempts = [check_object(where, sub, value) for sub in declared["subtypes"]]
        best = min(attempts, key=len)
        return best
    fields = {field["name"]: field for field in declared.get("fields", [])}
    errors = [
        f"{where}: unknown field {name!r} for {type_name}" for name in value if name not in fields
    ]
    for name, field in fields.items():
        if name not in value:
            if field["required"]:
                errors.append(f"{where}: {type_name} needs {name!r}")
            continue
        item = value[name]
        if name == "type" and "must be " in field["description"]:
            expected = field["description"].rsplit("must be ", 1)[1].split()[0].strip(",.")
            if item != expected:
                errors.append(f"{where}.type: {item!r} is not {expected!r}")
        if isinstance(item, str):
            plain: str | None = None
            if name in _FORMATTED and value.get("parse_mode") == "HTML":
                try:
                    plain = parse_telegram_html(item)
                except HTMLParseError as error:
                    errors.append(f"{where}.{name}: can't parse entities: {error}")
                    continue
            errors += _check_length(f"{where}.{name}", field, item, plain)
        errors += _check_value(f"{where}.{name}", field["types"], item)
    return errors


def check_call(method: str, params: dict[str, Any]) -> list[str]:
    """Every way ``method(params)`` breaks the published API; empty when it is a valid call.

    ``params`` holds form values as sent (strings, JSON for objects) or uploaded files (bytes).
    """
    declared = spec()["methods"].get(method)
    if declared is None:
        return [f"unknown method {method}"]
    fields = {field["name"]: field for field in declared.get("fields", [])}
    errors = [f"{method}: unknown field {name!r}" for name in params if name not in fields]
    for name, field in fields.items():
        if name not in params:
            if field["required"]:
                errors.append(f"{method}: missing required field {name!r}")
            continue
        value = params[name]
        if isinstance(value, bytes):
            if "InputFile" not in field["types"]:
                errors.append(f"{method}.{name}: a file where {field['types']} is expected")
            continue
        plain: str | None = None
        if name in _FORMATTED and params.get("parse_mode") == "HTML":
            try:
                plain = parse_telegram_html(value)
            except HTMLParseError as error:
                errors.append(f"{method}.{name}: can't parse entities: {error}")
                continue
        errors += _check_length(f"{method}.{name}", field, value, plain)
        if any(t not in _SCALARS for t in field["types"]):
            try:
                decoded = json.loads(value)
            except ValueError:
                if "String" not in field["types"]:
                    errors.append(f"{method}.{name}: not JSON")
                continue
            if isinstance(decoded, dict | list):
                errors += _check_value(f"{method}.{name}", field["types"], decoded)
    return errors
