"""Which documented rules a request must keep, by its method and path (a path without
/api/v10), and which requests create a message (to check it is not empty)."""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.discord_rules.commands import command_breaches, command_set_breaches
from tests.fakes.discord_rules.errors import Breach
from tests.fakes.discord_rules.interactions import callback_breaches
from tests.fakes.discord_rules.messages import message_breaches

_COMMANDS = re.compile(r"^/applications/[^/]+(?:/guilds/[^/]+)?/commands(?:/(?P<id>[^/]+))?$")
_CALLBACK = re.compile(r"^/interactions/[^/]+/[^/]+/callback$")
_WEBHOOK = re.compile(r"^/webhooks/[^/]+/[^/]+(?:/messages/[^/]+)?$")
_CHANNEL_MESSAGE = re.compile(r"^/channels/[^/]+/messages(?:/[^/]+)?$")
_FORUM_POST = re.compile(r"^/channels/[^/]+/threads$")


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
