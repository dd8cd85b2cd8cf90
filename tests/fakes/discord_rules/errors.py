"""A broken rule, and the shapes of Discord's answers to it.

Every breach is answered as Discord answers: HTTP 400 with ``{"code": 50035, "errors": {...},
"message": "Invalid Form Body"}``, the errors nested along the path of the faulty field
(``{"0": {"options": {"1": {"autocomplete": {"_errors": [{"code", "message"}]}}}}}``). The codes
``BASE_TYPE_*`` and ``APPLICATION_COMMAND_INVALID_NAME`` are the ones Discord is known to send;
the others name the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


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


def invalid_form_body(breaches: Iterable[Breach]) -> dict[str, Any]:
    """Discord's 400 answer: the errors nested along each breach's path."""
    errors: dict[str, Any] = {}
    for breach in breaches:
        node = errors
        for step in breach.path:
            node = node.setdefault(str(step), {})
        node.setdefault("_errors", []).append({"code": breach.code, "message": breach.message})
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}
