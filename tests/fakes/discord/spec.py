"""Discord's OpenAPI spec, and what it and Discord's documented rules say of a request body.

Every request body the bot sends is checked against the JSON Schema of the operation's request
body in ``tests/specs/discord-openapi.json`` and against Discord's documented rules that the
schema cannot express (:mod:`tests.fakes.discord_rules`: choices with autocomplete, names,
lengths and counts at every nesting level, modals, messages); a violation is recorded in
:attr:`FakeDiscord.violations` and answered with 400 ``Invalid Form Body`` (code 50035, the
errors nested along the faulty field's path), as Discord would (:mod:`.rest`). A new message
with nothing in it is answered 400, code 50006.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from tests.fakes.discord_rules import Breach, request_breaches

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "discord-openapi.json"


@cache
def _spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


@cache
def _operations() -> list[tuple[re.Pattern[str], str, str]]:
    """(path regex, method, spec path) for every operation that has a request body."""
    found = []
    for path, item in _spec()["paths"].items():
        regex = re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$")
        for method, operation in item.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                found.append((regex, method.upper(), path))
    # The most specific (fewest parameters) template first: /users/@me before /users/{id}.
    found.sort(key=lambda entry: entry[2].count("{"))
    return found


@cache
def _validator(spec_path: str, method: str) -> Draft202012Validator:
    body = _spec()["paths"][spec_path][method.lower()]["requestBody"]["content"]
    schema = body.get("application/json") or next(iter(body.values()))
    root = dict(schema["schema"])
    root["components"] = _spec()["components"]
    return Draft202012Validator(root)


@cache
def _schema_validator(name: str) -> Draft202012Validator:
    """A validator for one component schema of the spec (an object the fake hands out)."""
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": _spec()["components"]}
    )


def _snowflakes_as_strings(value: Any, key: str = "") -> Any:
    """discord.py sends ids as JSON integers, which Discord accepts; the spec types them as
    strings. Big integers can only be snowflakes, and ``id`` keys (an attachment's index) are
    snowflake-typed, so those are checked as strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and (value >= 10**15 or key == "id"):
        return str(value)
    if isinstance(value, list):
        return [_snowflakes_as_strings(v, key) for v in value]
    if isinstance(value, dict):
        return {k: _snowflakes_as_strings(v, k) for k, v in value.items()}
    return value


def body_breaches(method: str, path: str, body: Any) -> list[Breach]:
    """What Discord would refuse in ``body`` for ``method path`` (without the /api/v10 prefix):
    the operation's JSON Schema first, then the documented rules the schema cannot say."""
    breaches: list[Breach] = []
    checked = _snowflakes_as_strings(body)
    for regex, op_method, spec_path in _operations():
        if op_method == method and regex.match(path):
            validator = _validator(spec_path, method)
            for error in validator.iter_errors(checked):
                breaches.append(
                    Breach(
                        "schema",
                        tuple(error.absolute_path),
                        "BASE_TYPE_INVALID",
                        f"{method} {spec_path}: {error.message[:300]}",
                    )
                )
            break
    else:
        breaches.append(
            Breach(
                "schema", (), "UNKNOWN", f"{method} {path}: no operation with a body in the spec"
            )
        )
    return breaches + request_breaches(method, path, body)


def check_body(method: str, path: str, body: Any) -> list[str]:
    """Problems with ``body`` for ``method path`` (an API path without the /api/v10 prefix)."""
    return [str(breach) for breach in body_breaches(method, path, body)]
