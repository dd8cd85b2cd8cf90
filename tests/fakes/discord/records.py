"""The fake's fixed ids, and the records it keeps of what the bot did and of its sessions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TIMESTAMP = "2026-11-21T12:00:00.000000+00:00"

BOT_ID = "1000000000000000001"
APP_ID = "1000000000000000002"
GUILD_ID = "1000000000000000003"
OWNER_ID = "1000000000000000004"
BOT_ROLE_ID = "1000000000000000005"
"""The role Discord gives the bot when it joins with the invite's permissions."""
INVITE_PERMISSIONS = 309237763072
"""What docs/discord.md's invite link grants (view, send, threads, files, links, history)."""
SEND_MESSAGES = 1 << 11

NONCE_WINDOW = 300.0
"""Seconds during which Discord checks a nonce for uniqueness ("the past few minutes")."""


def user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


@dataclass
class Interaction:
    """What the fake knows about one interaction it sent."""

    id: str
    token: str
    payload: dict[str, Any]
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    dispatched_at: float | None = None
    """The loop's time when the fake sent it (for Discord's 3-second and 15-minute rules)."""


@dataclass
class Sent:
    """A message the bot created (channel message, follow-up, forum post, edit)."""

    channel_id: str
    body: dict[str, Any]
    files: list[tuple[str, bytes]]
    kind: str
    message_id: str

    @property
    def content(self) -> str:
        return str(self.body.get("content") or "")


@dataclass
class GatewaySession:
    """One gateway session: the bot, or one shard of it (shard 0 of 1 when unsharded)."""

    shard_id: int
    shard_count: int
    session_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    """Every dispatch of this session, with its sequence number, for resuming."""
    live: web.WebSocketResponse | None = None
    """The connection events go to; None while the client is away (events are kept)."""

    def owns(self, guild_id: str | None) -> bool:
        """Whether this shard receives the events of ``guild_id`` (None: a DM)."""
        if guild_id is None:
            return self.shard_id == 0
        return (int(guild_id) >> 22) % self.shard_count == self.shard_id
