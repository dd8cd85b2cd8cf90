"""Indented JSON text, the same bytes as ``json.dumps(value, ensure_ascii=False, indent=2)``,
about twice as fast.

With ``indent`` the standard library falls back to its pure-Python encoder (a generator per
value, about 0.2 s of CPU per 10k exported profiles). Exports hold only plain values (text,
numbers, booleans, None, lists, tuples and dicts), so this walks them with string joins and
leaves each text to the C string encoder (``tests/core/test_json_text.py`` compares the bytes
with ``json.dumps`` on generated values).
"""

from __future__ import annotations

import json.encoder
from typing import Any

_text = json.encoder.encode_basestring  # the C encoder when available, as json.dumps uses
_INFINITY = float("inf")
_ATOMS = (str, int, float, type(None))


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _number(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A dict key as ``json`` writes it: text as is, numbers, booleans and None as words."""
    if isinstance(key, str):
        return _text(key)
    if isinstance(key, float):
        return _text(_number(key))
    if isinstance(key, bool | int) or key is None:
        return _text(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_KEYS: dict[str, str] = {}
"""Encoded text keys: an export repeats the same ten keys on every row."""


def _item(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is str:
        return _text(value)
    if kind is list or kind is dict or kind is tuple:
        return _write(value, indent)
    return _scalar(value) if isinstance(value, _ATOMS) else _write(value, indent)


def _write(value: Any, indent: str) -> str:
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        glue = ",\n" + inner
        return f"[\n{inner}{glue.join([_item(v, inner) for v in value])}\n{indent}]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        lines = []
        for key, item in value.items():
            if type(key) is str:
                name = _KEYS.get(key)
                if name is None:
                    name = _text(key)
                    if len(_KEYS) < 1000:  # bounded: keys of arbitrary dicts pass here too
                        _KEYS[key] = name
            else:
                name = _key(key)
            lines.append(f"{name}: {_item(item, inner)}")
        glue = ",\n" + inner
        return f"{{\n{inner}{glue.join(lines)}\n{indent}}}"
    return _scalar(value)


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for plain values."""
    return _write(value, "")
