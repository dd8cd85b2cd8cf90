"""What every part of the fake Discord holds: the servers, channels and people tests set up,
and the records of what the bot did.

The fake is cut by job (gateway, faults, messages, interactions, threads, scheduled events,
slash commands, the REST routes, the loopback server), each part a mixin on this base, so
:class:`~tests.fakes.discord.FakeDiscord` stays one class with one constructor. A part that
needs another inherits it, so each module says what it builds on.

:meth:`FakeDiscordBase.add_guild` adds servers (``guild_on`` picks an id on a given shard).
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from tests.fakes.discord.records import (
    APP_ID,
    BOT_ID,
    BOT_ROLE_ID,
    GUILD_ID,
    INVITE_PERMISSIONS,
    OWNER_ID,
    TIMESTAMP,
    GatewaySession,
    Interaction,
    Sent,
    user,
)


class FakeDiscordBase:
    """The fake's state, its servers, channels and people, and its JSON answers."""

    def __init__(self) -> None:
        self._ids = itertools.count(2_000_000_000_000_000_000)
        self.channels: dict[str, dict[str, Any]] = {}
        self.deleted_channels: list[str] = []
        self.users: dict[str, dict[str, Any]] = {OWNER_ID: user(OWNER_ID, "Owner")}
        self.user_locales: dict[str, str] = {}
        """Each person's app language (Discord's locale codes: en-US, fr, es-ES, ...)."""
        self.requests: list[tuple[str, str, Any]] = []
        self.violations: list[str] = []
        self.sent: list[Sent] = []
        self.closed_dms: set[str] = set()
        """Users who accept no direct messages (sending to them gets 403, code 50007)."""
        self.thread_members: dict[str, list[str]] = {}
        """Who is in each thread the bot started, by thread id (the bot first)."""
        self.renames: dict[str, list[str]] = {}
        """Every name the bot gave a channel or thread, by its id, oldest first."""
        self.messages: dict[str, dict[str, Any]] = {}
        """Every message object the fake returned, by id (to press their buttons later)."""
        self.command_puts: list[list[dict[str, Any]]] = []
        self.commands: list[dict[str, Any]] = []
        self.interactions: dict[str, Interaction] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.session_id = "fake-session-1"
        """Shard 0's session (the only one when unsharded); shard n's is fake-session-<n+1>."""
        self.sessions: dict[int, GatewaySession] = {}
        """The gateway sessions by shard id."""
        self._sockets: list[web.WebSocketResponse] = []
        self.invalid_shards: list[object] = []
        """``shard`` values of IDENTIFYs refused with 4010."""
        self.guild_ids: list[str] = [GUILD_ID]
        self.recommended_shards = 1
        """What ``GET /gateway/bot`` recommends."""
        self.max_concurrency = 1
        """IDENTIFYs allowed per 5 seconds (``session_start_limit.max_concurrency``)."""
        self._rate_limits: list[tuple[str, str, float]] = []
        self.rate_limited: list[str] = []
        self._failures: list[tuple[str, str, int]] = []
        self.failed: list[str] = []
        self.scheduled_events: dict[str, dict[str, Any]] = {}
        """Guild scheduled events by id (deleted ones are removed)."""
        self.clock: Callable[[], datetime] | None = None
        """The test's clock; when set, a scheduled event may not start in the past (400)."""
        self.refused: list[str] = []
        """Requests refused as Discord would refuse them at run time (not bot bugs)."""
        self.response_window: float | None = None
        """When set (Discord: 3.0 s), an interaction's first response after this long is
        refused with 10062 "Unknown interaction" and listed in :attr:`late`."""
        self.token_lifetime = 15 * 60.0
        """Follow-ups and edits through the interaction webhook after this long get 10015."""
        self.late: list[str] = []
        self.token: str | None = None
        """When set, a request with another ``Authorization: Bot`` token gets 401."""
        self.bot_permissions = INVITE_PERMISSIONS
        """The permissions of the bot's role in the guild."""
        self.application_flags = 0
        """The application's flags (1 << 19: the Message Content intent is on)."""
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.jitter = 0.0
        """Every REST request waits a random 0..jitter seconds before it is handled."""
        self._random = random.Random(14)
        self._transient: list[list[Any]] = []
        self._random_limits: list[list[Any]] = []
        self._slow: list[list[Any]] = []
        self._nonces: dict[str, tuple[float, dict[str, Any]]] = {}
        self.deduplicated: list[str] = []
        """Nonces of creations answered with the message already made (no second message)."""
        self.attachments: dict[str, bytes] = {}
        """Files people attached (a slash command's attachment option), by attachment id."""
        self.attachment_reads: list[str] = []
        """Every attachment id whose URL was fetched."""
        self.add_channel(self.new_id(), "general", 0)

    def new_id(self) -> str:
        return str(next(self._ids))

    def add_channel(
        self,
        channel_id: str,
        name: str,
        kind: int = 0,
        *,
        parent_id: str | None = None,
        guild_id: str | None = None,
    ) -> dict[str, Any]:
        """A guild channel: 0 text, 15 forum, 11 public thread (of ``parent_id``), in
        ``guild_id`` (default: its parent's server, else the first one)."""
        parent = self.channels.get(parent_id or "", {})
        guild_id = guild_id or parent.get("guild_id") or GUILD_ID
        channel: dict[str, Any] = {
            "id": channel_id,
            "type": kind,
            "guild_id": guild_id,
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": [],
            "parent_id": parent_id,
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        if kind == 15:
            channel.update(available_tags=[], default_reaction_emoji=None, default_sort_order=None)
        if kind in (10, 11, 12):
            channel.update(
                owner_id=OWNER_ID,
                message_count=0,
                member_count=1,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": TIMESTAMP,
                    "locked": False,
                },
            )
        self.channels[channel_id] = channel
        return channel

    @property
    def general(self) -> str:
        return next(cid for cid, c in self.channels.items() if c["name"] == "general")

    def guild_on(self, shard_id: int, shard_count: int) -> str:
        """A new snowflake that Discord's formula puts on ``shard_id`` of ``shard_count``."""
        snowflake = int(self.new_id())
        high = snowflake >> 22
        high += (shard_id - high) % shard_count
        return str((high << 22) | (snowflake & ((1 << 22) - 1)))

    def add_guild(self, guild_id: str) -> str:
        """Another server the bot is in, with a text channel; returns that channel's id."""
        self.guild_ids.append(guild_id)
        channel_id = self.new_id()
        self.add_channel(channel_id, f"general-{len(self.guild_ids)}", 0, guild_id=guild_id)
        return channel_id

    def deny(self, channel_id: str, permissions: int) -> None:
        """Take ``permissions`` from the bot's role in one channel (a permission overwrite);
        a message the bot then posts there without Send Messages gets 403 (code 50013)."""
        self.channels[channel_id]["permission_overwrites"].append(
            {"id": BOT_ROLE_ID, "type": 0, "allow": "0", "deny": str(permissions)}
        )

    def bot_may(self, channel_id: str, permission: int) -> bool:
        """Discord's computation for the bot: its role, then the channel's overwrites."""
        allowed = self.bot_permissions
        channel = self.channels.get(channel_id, {})
        for overwrite in channel.get("permission_overwrites") or []:
            if overwrite["id"] in (GUILD_ID, BOT_ROLE_ID, BOT_ID):
                allowed = (allowed & ~int(overwrite["deny"])) | int(overwrite["allow"])
        return bool(allowed & permission)

    def add_user(self, name: str, *, locale: str = "en-US") -> str:
        """A person, with the language their Discord app is set to (sent with each of their
        interactions as ``locale``)."""
        user_id = self.new_id()
        self.users[user_id] = user(user_id, name)
        self.user_locales[user_id] = locale
        return user_id

    def member(self, user_id: str) -> dict[str, Any]:
        return {
            "user": self.users[user_id],
            "roles": [],
            "joined_at": TIMESTAMP,
            "permissions": "0",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def _guild(self, guild_id: str = GUILD_ID) -> dict[str, Any]:
        mine = [c for c in self.channels.values() if c.get("guild_id") == guild_id]
        channels = [c for c in mine if c.get("type") in (0, 15)]
        threads = [c for c in mine if c.get("type") in (11, 12)]
        return {
            "id": guild_id,
            "name": "Champions" if guild_id == GUILD_ID else f"Champions {guild_id[-4:]}",
            "icon": None,
            "owner_id": OWNER_ID,
            "roles": [
                {
                    "id": guild_id,
                    "name": "@everyone",
                    "permissions": "0",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": BOT_ROLE_ID,
                    "name": "Champions Bot",
                    "permissions": str(self.bot_permissions),
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": True,
                    "mentionable": False,
                    "flags": 0,
                },
            ],
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": channels,
            "threads": threads,
            "members": [],
            "voice_states": [],
            "presences": [],
            "member_count": len(self.users),
            "large": False,
            "unavailable": False,
            "joined_at": TIMESTAMP,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_flags": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "afk_timeout": 300,
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _application(self) -> dict[str, Any]:
        return {
            "id": APP_ID,
            "name": "Champions Bot",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "00",
            "owner": self.users[OWNER_ID],
            "flags": self.application_flags,
            "team": None,
            "summary": "",
            "rpc_origins": [],
            "interactions_endpoint_url": None,
            "tags": [],
        }

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py parses JSON only when Content-Type is exactly application/json.
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
