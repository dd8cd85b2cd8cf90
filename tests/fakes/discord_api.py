"""A loopback fake Discord: enough REST and gateway for the real discord.py client to run.

It serves on 127.0.0.1 only. REST: the bot user, application info, command sync, interaction
callbacks and follow-ups, channel messages (JSON or multipart with files), DMs, channels, forum
posts, guild scheduled events (create, get, edit, delete, with Discord's status rules).
Gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME → replay + RESUMED.
Sharding as Discord documents it: an IDENTIFY may carry ``shard: [shard_id, num_shards]``
(one session per shard, each on its own connection); a server's events go to the shard with
``shard_id == (guild_id >> 22) % num_shards``, DMs to shard 0; an invalid shard closes the
connection with 4010. :meth:`FakeDiscord.add_guild` adds servers (``guild_on`` picks an id on a
given shard), ``recommended_shards`` and ``max_concurrency`` are what ``GET /gateway/bot`` says.

Every request body the bot sends is checked against the JSON Schema of the operation's request
body in ``tests/specs/discord-openapi.json`` and against Discord's documented rules that the
schema cannot express (:mod:`tests.fakes.discord_rules`: choices with autocomplete, names,
lengths and counts at every nesting level, modals, messages); a violation is recorded in
:attr:`FakeDiscord.violations` and answered with 400 ``Invalid Form Body`` (code 50035, the
errors nested along the faulty field's path), as Discord would. A new message with nothing in
it is answered 400, code 50006.

Tests drive it: :meth:`FakeDiscord.dispatch` sends a gateway event, :meth:`interaction` builds
an INTERACTION_CREATE payload, :meth:`rate_limit` makes the next matching request get a 429,
:meth:`drop_connection` cuts the gateway so the client must resume, :meth:`fail` makes matching
requests get an error status (a platform outage, a missing permission). With
:attr:`FakeDiscord.response_window` set to 3 s, a first response to an interaction later than
that is refused with 10062 as Discord does; follow-ups and edits expire after 15 minutes.

Delivery faults: :meth:`fail_next` (the next few matching requests get an error status),
:meth:`slow` (the next few are handled, then answered late: the message is in the chat while
the bot waits), :attr:`FakeDiscord.jitter` (random latency on every request). Like Discord, a
message created with ``enforce_nonce`` and a nonce the bot used in the last
:data:`NONCE_WINDOW` seconds is not created again: the first one is returned. Channel history
(``GET /channels/{id}/messages``, newest first, without nonces as Discord keeps none) and the
guild's active threads can be read back.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from jsonschema import Draft202012Validator

from tests.fakes.discord_rules import (
    ARCHIVED_THREAD,
    EMPTY_MESSAGE,
    MISSING_PERMISSIONS,
    PRIVATE_THREAD,
    SEND_MESSAGES_IN_THREADS,
    THREAD_TYPES,
    WRONG_CHANNEL_TYPE,
    Breach,
    invalid_form_body,
    is_empty_message,
    new_message_body,
    request_breaches,
    thread_permission,
    thread_type_fits,
)

SPEC_PATH = Path(__file__).resolve().parent.parent / "specs" / "discord-openapi.json"
API_PREFIX = "/api/v10"
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


def valid_shard(shard: object) -> bool:
    """``[shard_id, num_shards]`` with ``0 <= shard_id < num_shards``."""
    return (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
        and 0 <= shard[0] < shard[1]
    )


HANDLER_TASKS = (
    "discord.py: on_",  # an event listener (client._schedule_event)
    "CommandTree-invoker",  # a slash command (app_commands.CommandTree._from_interaction)
    "discord-ui-view-dispatch-",  # a button or menu of a view
    "discord-ui-modal-dispatch-",  # a modal submitted
    "discord-ui-dynamic-item-",
)
"""The names discord.py gives the tasks that run the bot's handlers."""


def _handling_events() -> bool:
    """Whether a handler of the bot under test (an event, a slash command, a component, a
    modal) is still running."""
    return any(
        not task.done() and task.get_name().startswith(HANDLER_TASKS)
        for task in asyncio.all_tasks()
    )


class FakeDiscord:
    """The fake server; use as ``async with FakeDiscord() as fake``."""

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

    # ids, channels, users -------------------------------------------------------------------

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

    # server life ----------------------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{channel}/{id}/{filename}", self._attachment_content)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in self._sockets:
            if not ws.closed:
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # REST -----------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> Any:
        return await handler(request)

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        # discord.py parses JSON only when Content-Type is exactly application/json.
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    def rate_limit(self, method: str, path_pattern: str, retry_after: float = 0.05) -> None:
        """The next ``method`` request whose path matches ``path_pattern`` gets a 429."""
        self._rate_limits.append((method, path_pattern, retry_after))

    def fail(self, method: str, path_pattern: str, status: int) -> None:
        """Every ``method`` request whose path matches gets ``status`` until :meth:`recover`.

        403 answers "Missing Permissions" (code 50013), other statuses a server error.
        Use 503 for an outage: discord.py retries 500/502/504 itself, sleeping seconds.
        """
        self._failures.append((method, path_pattern, status))

    def recover(self) -> None:
        self._failures.clear()

    def fail_next(
        self, method: str, path_pattern: str, status: int, count: int = 1, chance: float = 1.0
    ) -> None:
        """The next ``count`` matching requests get ``status`` (a passing server error); with
        ``chance``, each matching request meets it with that probability (seeded)."""
        self._transient.append([method, path_pattern, status, count, chance])

    def rate_limit_randomly(
        self, method: str, path_pattern: str, chance: float, count: int, retry_after: float = 0.05
    ) -> None:
        """Up to ``count`` matching requests, each with probability ``chance``, get a 429."""
        self._random_limits.append([method, path_pattern, retry_after, count, chance])

    def slow(self, method: str, path_pattern: str, answer_after: float, count: int = 1) -> None:
        """The next ``count`` matching requests are handled at once and answered only after
        ``answer_after`` seconds (a client that gives up earlier does not know it arrived)."""
        self._slow.append([method, path_pattern, answer_after, count])

    def slow_left(self) -> int:
        """Slow answers still to give (see :meth:`slow`)."""
        return sum(entry[3] for entry in self._slow)

    def _take(self, entries: list[list[Any]], method: str, path: str) -> Any:
        """The value of the first matching entry with uses left (one use taken), or None."""
        for entry in entries:
            if entry[0] == method and re.search(entry[1], path) and entry[3] > 0:
                if len(entry) > 4 and self._random.random() >= entry[4]:
                    continue
                entry[3] -= 1
                return entry[2]
        return None

    def _failure(self, method: str, path: str) -> web.Response | None:
        for m, pattern, status in self._failures:
            if m == method and re.search(pattern, path):
                self.failed.append(f"{method} {path}")
                if status == 403:
                    return self._json({"code": 50013, "message": "Missing Permissions"}, 403)
                return self._json({"code": 0, "message": "Service Unavailable"}, status)
        return None

    async def _read_body(self, request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        if request.content_type == "multipart/form-data":
            body: Any = None
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":  # type: ignore[union-attr]
                    body = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    files.append((part.filename or "", bytes(await part.read())))  # type: ignore[union-attr]
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method
        body, files = await self._read_body(request)
        self.requests.append((method, path, body))
        if self.token is not None and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._json({"message": "401: Unauthorized", "code": 0}, status=401)
        if self.jitter:
            await asyncio.sleep(self._random.uniform(0, self.jitter))
        status = self._take(self._transient, method, path)
        if status is not None:
            self.failed.append(f"{method} {path}")
            return self._json({"code": 0, "message": "Service Unavailable"}, status)
        answer_after = self._take(self._slow, method, path)
        if answer_after is not None:
            response = await self._handle(method, path, body, files, request)
            await asyncio.sleep(answer_after)
            return response
        return await self._handle(method, path, body, files, request)

    async def _handle(
        self,
        method: str,
        path: str,
        body: Any,
        files: list[tuple[str, bytes]],
        request: web.Request,
    ) -> web.StreamResponse:
        limited = self._take(self._random_limits, method, path)
        if limited is not None:
            self._rate_limits.insert(0, (method, re.escape(path) + "$", limited))
        for index, (m, pattern, retry_after) in enumerate(self._rate_limits):
            if m == method and re.search(pattern, path):
                del self._rate_limits[index]
                self.rate_limited.append(f"{method} {path}")
                return self._json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": str(retry_after),
                        "X-RateLimit-Scope": "user",
                    },
                )
        failure = self._failure(method, path)
        if failure is not None:
            return failure
        if method in ("POST", "PUT", "PATCH") and body is not None:
            breaches = body_breaches(method, path, body)
            if breaches:
                self.violations.extend(f"{method} {path} {breach}" for breach in breaches)
                return self._json(invalid_form_body(breaches), status=400)
        created = new_message_body(method, path, body)
        if created is not None and is_empty_message(created, len(files)):
            self.violations.append(f"{method} {path}: {EMPTY_MESSAGE['message']}")
            return self._json(EMPTY_MESSAGE, status=400)
        return await self._route(method, path, body, files, request)

    async def _route(
        self,
        method: str,
        path: str,
        body: Any,
        files: list[tuple[str, bytes]],
        request: web.Request,
    ) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        if path == "/users/@me" and method == "GET":
            return self._json(user(BOT_ID, "ChampionsBot", bot=True))
        if path == "/oauth2/applications/@me":
            return self._json(self._application())
        if parts[0] == "guilds" and len(parts) == 2 and method == "GET":
            if parts[1] not in self.guild_ids:
                return self._json({"code": 10004, "message": "Unknown Guild"}, status=404)
            return self._json(self._guild(parts[1]))
        if parts[0] == "guilds" and len(parts) == 4 and parts[2] == "members" and method == "GET":
            if parts[3] != BOT_ID:
                return self._json({"code": 10007, "message": "Unknown Member"}, status=404)
            return self._json(
                {
                    "user": user(BOT_ID, "ChampionsBot", bot=True),
                    "roles": [BOT_ROLE_ID],
                    "joined_at": TIMESTAMP,
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                    "nick": None,
                }
            )
        if path == "/gateway/bot":
            return self._json(
                {
                    "url": self.gateway_url,
                    "shards": self.recommended_shards,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": self.max_concurrency,
                    },
                }
            )
        if parts[0] == "applications" and parts[-1] == "commands":
            if method == "PUT":
                self.command_puts.append(body)
                self.commands = [
                    {
                        **c,
                        "id": self.new_id(),
                        "application_id": APP_ID,
                        "version": "1",
                        "guild_id": GUILD_ID if "guilds" in parts else None,
                        "type": c.get("type", 1),
                    }
                    for c in body
                ]
                return self._json(self.commands)
            return self._json(self.commands)
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], parts[2], body, files)
        if parts[0] == "webhooks":
            return self._webhook(method, parts, body, files)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages":
            if method == "GET":
                return self._history(parts[1], request.query)
            if not self.bot_may(parts[1], SEND_MESSAGES):
                return self._json({"code": 50013, "message": "Missing Permissions"}, status=403)
            known = self._known_nonce(body)
            if known is not None:
                return self._json(known)
            recipients = self.channels.get(parts[1], {}).get("recipients") or [{}]
            if recipients[0].get("id") in self.closed_dms:
                return self._json(
                    {"code": 50007, "message": "Cannot send messages to this user"}, status=403
                )
            message = self._message(parts[1], body, files, "message")
            self._remember_nonce(body, message)
            return self._json(message)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "threads":
            parent = self.channels.get(parts[1])
            if parent is not None and parent["type"] not in (15, 16):
                return await self._start_thread(parts[1], body)
            return await self._forum_post(parts[1], body, files)
        if (
            parts[0] == "channels"
            and len(parts) == 4
            and parts[2] == "thread-members"
            and (method == "PUT")
        ):
            return self._add_thread_member(parts[1], parts[3])
        if parts[0] == "channels" and len(parts) == 5 and parts[4] == "threads":
            return await self._message_thread(parts[1], parts[3], body)
        if parts[0] == "channels" and len(parts) == 2 and method == "PATCH":
            return await self._modify_channel(parts[1], body)
        if parts[0] == "channels" and len(parts) == 2 and method == "DELETE":
            channel = self.channels.pop(parts[1], None)
            if channel is None:
                return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
            self.deleted_channels.append(parts[1])
            return self._json(channel)
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            channel = self.channels.get(parts[1])
            if channel is None:
                return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
            return self._json(channel)
        if path == "/users/@me/channels" and method == "POST":
            recipient = str(body["recipient_id"])
            dm_id = f"9{recipient[1:]}"
            self.channels.setdefault(
                dm_id,
                {
                    "id": dm_id,
                    "type": 1,
                    "last_message_id": None,
                    "recipients": [self.users.get(recipient) or user(recipient, "Someone")],
                },
            )
            return self._json(self.channels[dm_id])
        if parts[0] == "guilds" and parts[2:] == ["threads", "active"] and method == "GET":
            active = [
                c
                for c in self.channels.values()
                if c["type"] in (10, 11, 12) and not c["thread_metadata"]["archived"]
            ]
            return self._json({"threads": active, "members": []})
        if parts[0] == "guilds" and len(parts) >= 3 and parts[2] == "scheduled-events":
            return self._scheduled_event(method, parts, body)
        if parts[0] == "users" and len(parts) == 2 and method == "GET":
            found = self.users.get(parts[1])
            if found is None:
                return self._json({"code": 10013, "message": "Unknown User"}, status=404)
            return self._json(found)
        return self._json(
            {"code": 0, "message": f"fake Discord has no {method} {path}"}, status=404
        )

    def _known_nonce(self, body: Any) -> dict[str, Any] | None:
        """The message already created under this nonce, when the bot asked Discord to enforce
        it and it is recent enough."""
        if not isinstance(body, dict) or not body.get("enforce_nonce") or not body.get("nonce"):
            return None
        seen = self._nonces.get(str(body["nonce"]))
        if seen is None or time.monotonic() - seen[0] > NONCE_WINDOW:
            return None
        self.deduplicated.append(str(body["nonce"]))
        return seen[1]

    def _remember_nonce(self, body: Any, message: dict[str, Any]) -> None:
        if isinstance(body, dict) and body.get("nonce"):
            self._nonces[str(body["nonce"])] = (time.monotonic(), message)

    def _history(self, channel_id: str, query: Any) -> web.Response:
        """A channel's messages, newest first (``before``/``after``/``limit``), as Discord
        lists them: without the nonces they were created with."""
        if channel_id not in self.channels:
            return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
        mine = sorted(
            (m for m in self.messages.values() if m["channel_id"] == channel_id),
            key=lambda m: int(m["id"]),
        )
        limit = int(query.get("limit", 50))
        if "after" in query:
            after = int(query["after"])
            mine = [m for m in mine if int(m["id"]) > after][:limit]
        else:
            before = int(query.get("before", 0)) or None
            mine = [m for m in mine if before is None or int(m["id"]) < before][-limit:]
        listed = [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(mine)]
        return self._json(listed)

    def _scheduled_event(self, method: str, parts: list[str], body: Any) -> web.Response:
        """Guild scheduled events as Discord keeps them (external ones need an end and a place).

        Statuses: 1 scheduled, 2 active, 3 completed, 4 cancelled. Only a scheduled event may be
        cancelled, and a completed or cancelled one can no longer be changed.
        """
        if parts[1] != GUILD_ID:
            return self._json({"code": 10004, "message": "Unknown Guild"}, status=404)
        if method in ("POST", "PATCH") and self._in_the_past(body.get("scheduled_start_time")):
            self.refused.append(f"{method} {'/'.join(parts)}: start in the past")
            return self._json(
                {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {
                        "scheduled_start_time": {
                            "_errors": [
                                {
                                    "code": "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                                    "message": "Cannot schedule event in the past.",
                                }
                            ]
                        }
                    },
                },
                status=400,
            )
        if len(parts) == 3 and method == "POST":
            problems = self._external_problems(body)
            if problems:
                return self._invalid(problems)
            event_id = self.new_id()
            self.scheduled_events[event_id] = {
                "id": event_id,
                "guild_id": GUILD_ID,
                "name": body["name"],
                "description": body.get("description"),
                "channel_id": None,
                "creator_id": BOT_ID,
                "creator": user(BOT_ID, "ChampionsBot", bot=True),
                "image": None,
                "scheduled_start_time": body["scheduled_start_time"],
                "scheduled_end_time": body.get("scheduled_end_time"),
                "status": 1,
                "entity_type": body["entity_type"],
                "entity_id": None,
                "entity_metadata": body["entity_metadata"],
                "privacy_level": body["privacy_level"],
                "recurrence_rule": None,
                "user_count": 0,
            }
            return self._json(self.scheduled_events[event_id])
        found = self.scheduled_events.get(parts[3]) if len(parts) == 4 else None
        if found is None:
            return self._json(
                {"code": 10070, "message": "Unknown Guild Scheduled Event"}, status=404
            )
        if method == "GET":
            return self._json(found)
        if method == "DELETE":
            del self.scheduled_events[found["id"]]
            return web.Response(status=204)
        if method == "PATCH":
            if found["status"] in (3, 4):
                return self._invalid([f"scheduled event {found['id']} is already finished"])
            status = body.get("status")
            if status == 4 and found["status"] != 1:
                return self._invalid(["only a scheduled event can be cancelled"])
            if "scheduled_start_time" in body and found["status"] != 1:
                return self._invalid(["a running event cannot get a new start time"])
            updated = {**found, **{k: v for k, v in body.items() if k != "channel_id"}}
            problems = self._external_problems(updated)
            if problems:
                return self._invalid(problems)
            self.scheduled_events[found["id"]] = updated
            return self._json(updated)
        return self._json({"code": 0, "message": "405: Method Not Allowed"}, status=405)

    def _in_the_past(self, start: str | None) -> bool:
        return bool(start and self.clock and datetime.fromisoformat(start) <= self.clock())

    @staticmethod
    def _external_problems(body: dict[str, Any]) -> list[str]:
        """Discord's rules for external events that the schema cannot say."""
        if body.get("entity_type") != 3:
            return []
        problems = []
        if not (body.get("entity_metadata") or {}).get("location"):
            problems.append("an external scheduled event needs entity_metadata.location")
        end = body.get("scheduled_end_time")
        if not end:
            problems.append("an external scheduled event needs scheduled_end_time")
        elif datetime.fromisoformat(end) <= datetime.fromisoformat(body["scheduled_start_time"]):
            problems.append("scheduled_end_time must be after scheduled_start_time")
        return problems

    def _invalid(self, problems: list[str]) -> web.Response:
        self.violations.extend(problems)
        return self._json(
            {
                "code": 50035,
                "message": "Invalid Form Body",
                "errors": {"_errors": [{"code": "INVALID", "message": p} for p in problems]},
            },
            status=400,
        )

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

    def _message(
        self,
        channel_id: str,
        body: dict[str, Any] | None,
        files: list[tuple[str, bytes]],
        kind: str,
        *,
        flags: int = 0,
        interaction: Interaction | None = None,
    ) -> dict[str, Any]:
        body = body or {}
        message_id = self.new_id()
        self.sent.append(Sent(channel_id, body, files, kind, message_id))
        message: dict[str, Any] = {
            "id": message_id,
            "channel_id": channel_id,
            "type": 0 if interaction is None else 20,
            "content": body.get("content") or "",
            "author": user(BOT_ID, "ChampionsBot", bot=True),
            "attachments": [
                {
                    "id": self.new_id(),
                    "filename": name,
                    "size": len(data),
                    "url": f"http://127.0.0.1/{name}",
                    "proxy_url": f"http://127.0.0.1/{name}",
                }
                for name, data in files
            ],
            "embeds": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "flags": flags | int(body.get("flags") or 0),
            "components": body.get("components") or [],
        }
        if channel_id in self.channels and self.channels[channel_id].get("guild_id"):
            message["guild_id"] = self.channels[channel_id]["guild_id"]
        self.messages[message_id] = message
        return message

    def _callback(
        self, interaction_id: str, token: str, body: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> web.Response:
        known = self.interactions.get(interaction_id)
        if known is None or known.token != token or self._too_late(known, self.response_window):
            return self._json({"code": 10062, "message": "Unknown interaction"}, status=404)
        if known.callbacks:
            return self._json(
                {"code": 40060, "message": "Interaction has already been acknowledged."},
                status=400,
            )
        known.callbacks.append(body)
        known.answered.set()
        kind = body["type"]
        data = body.get("data") or {}
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": known.payload["type"],
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
            }
        }
        if kind in (4, 5):
            message = self._message(
                known.payload["channel_id"], data, files, "response", interaction=known
            )
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
        else:
            result["resource"] = {"type": kind}
        return self._json(result)

    def _too_late(self, known: Interaction, window: float | None) -> bool:
        if window is None or known.dispatched_at is None:
            return False
        late = asyncio.get_running_loop().time() - known.dispatched_at > window
        if late:
            self.late.append(known.id)
        return late

    def _interaction_by_token(self, token: str) -> Interaction | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    def _webhook(
        self, method: str, parts: list[str], body: Any, files: list[tuple[str, bytes]]
    ) -> web.Response:
        known = self._interaction_by_token(parts[2])
        if known is None or self._too_late(known, self.token_lifetime):
            return self._json({"code": 10015, "message": "Unknown Webhook"}, status=404)
        channel_id = known.payload["channel_id"]
        if method == "POST" and len(parts) == 3:
            known.followups.append(body)
            known.answered.set()
            return self._json(self._message(channel_id, body, files, "followup", interaction=known))
        if method == "PATCH":
            known.edits.append(body)
            known.answered.set()
            return self._json(self._message(channel_id, body, files, "edit", interaction=known))
        if method == "DELETE":
            return web.Response(status=204)
        return self._json(self._message(channel_id, {}, [], "fetch", interaction=known))

    async def _forum_post(
        self, forum_id: str, body: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> web.Response:
        forum = self.channels.get(forum_id)
        if forum is None or forum["type"] != 15:
            return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
        thread_id = self.new_id()
        thread = self.add_channel(thread_id, body["name"], 11, parent_id=forum_id)
        thread["applied_tags"] = [str(t) for t in body.get("applied_tags") or []]
        message = self._message(thread_id, body.get("message") or {}, files, "forum_post")
        await self._thread_created(thread)
        return self._json({**thread, "message": message})

    async def _start_thread(self, channel_id: str, body: dict[str, Any]) -> web.Response:
        """A thread without a message in a text or announcement channel (private by default),
        with Discord's checks: the name, the channel's type, the bot's permission."""
        parent = self.channels[channel_id]
        kind = int(body.get("type") or PRIVATE_THREAD)
        if not thread_type_fits(parent["type"], kind):
            self.refused.append(f"thread type {kind} in channel type {parent['type']}")
            return self._json(WRONG_CHANNEL_TYPE, status=400)
        if not self.bot_may(channel_id, thread_permission(kind)):
            self.refused.append(f"no permission to open a type {kind} thread in {channel_id}")
            return self._json(MISSING_PERMISSIONS, status=403)
        thread = self.add_channel(self.new_id(), body["name"], kind, parent_id=channel_id)
        thread["owner_id"] = BOT_ID
        self.thread_members[thread["id"]] = [BOT_ID]
        if kind == PRIVATE_THREAD:
            thread["thread_metadata"]["invitable"] = bool(body.get("invitable", True))
        if body.get("auto_archive_duration"):
            thread["thread_metadata"]["auto_archive_duration"] = body["auto_archive_duration"]
        await self._thread_created(thread)
        return self._json(thread)

    def _add_thread_member(self, thread_id: str, user_id: str) -> web.Response:
        """Add a user to a thread: 204, or Discord's refusal (archived, permission, unknown)."""
        thread = self.channels.get(thread_id)
        if thread is None:
            return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
        if thread["type"] not in THREAD_TYPES:
            return self._json(WRONG_CHANNEL_TYPE, status=400)
        if thread["thread_metadata"]["archived"]:
            return self._json(ARCHIVED_THREAD, status=400)
        if not self.bot_may(thread["parent_id"], SEND_MESSAGES_IN_THREADS):
            self.refused.append(f"no permission to add members to {thread_id}")
            return self._json(MISSING_PERMISSIONS, status=403)
        members = self.thread_members.setdefault(thread_id, [])
        if thread["type"] == PRIVATE_THREAD and BOT_ID not in members:
            return self._json(MISSING_PERMISSIONS, status=403)
        if user_id not in self.users:
            return self._json({"code": 10013, "message": "Unknown User"}, status=404)
        if user_id not in members:
            members.append(user_id)
            thread["member_count"] = len(members)
        return web.Response(status=204)

    async def _message_thread(
        self, channel_id: str, message_id: str, body: dict[str, Any]
    ) -> web.Response:
        """A thread started on a message of a text channel; it shares the message's id."""
        if self.messages.get(message_id, {}).get("channel_id") != channel_id:
            return self._json({"code": 10008, "message": "Unknown Message"}, status=404)
        if message_id in self.channels:
            return self._json(
                {"code": 160004, "message": "A thread has already been created"}, status=400
            )
        thread = self.add_channel(message_id, body["name"], 11, parent_id=channel_id)
        await self._thread_created(thread)
        return self._json(thread)

    async def _thread_created(self, thread: dict[str, Any]) -> None:
        """Tell the client, as Discord does (GUILDS intent), when it is connected."""
        session = self._session_for(thread.get("guild_id"))
        if session is not None and session.live is not None:
            await self._send_event(session, "THREAD_CREATE", {**thread, "newly_created": True})

    async def _modify_channel(self, channel_id: str, body: dict[str, Any]) -> web.Response:
        """Rename, tag, archive or unarchive a thread (the parts of PATCH the bot uses)."""
        channel = self.channels.get(channel_id)
        if channel is None:
            return self._json({"code": 10003, "message": "Unknown Channel"}, status=404)
        if "name" in body:
            channel["name"] = body["name"]
            self.renames.setdefault(channel_id, []).append(body["name"])
        if "applied_tags" in body:
            known = {t["id"] for t in self.channels[channel["parent_id"]]["available_tags"]}
            tags = [str(t) for t in body["applied_tags"]]
            if not set(tags) <= known:
                return self._json({"code": 50035, "message": "Invalid Form Body"}, status=400)
            channel["applied_tags"] = tags
        if "archived" in body and "thread_metadata" in channel:
            channel["thread_metadata"]["archived"] = bool(body["archived"])
        session = self._session_for(channel.get("guild_id"))
        if channel["type"] in (10, 11, 12) and session is not None and session.live is not None:
            await self._send_event(session, "THREAD_UPDATE", channel)
        return self._json(channel)

    def add_tag(self, forum_id: str, name: str) -> str:
        """A tag members can put on posts of a forum channel; returns its id."""
        tag_id = self.new_id()
        self.channels[forum_id]["available_tags"].append(
            {"id": tag_id, "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
        )
        return tag_id

    # gateway --------------------------------------------------------------------------------

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

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        )
        session: GatewaySession | None = None
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            payload = json.loads(message.data)
            op = payload["op"]
            if op == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif op == 2:
                self.identifies.append(payload["d"])
                shard = payload["d"].get("shard", [0, 1])
                if not valid_shard(shard):
                    self.invalid_shards.append(shard)
                    await ws.close(code=4010, message=b"Invalid shard.")
                    break
                session = await self._identify(ws, shard[0], shard[1])
            elif op == 6:
                self.resumes.append(payload["d"])
                session = next(
                    (
                        known
                        for known in self.sessions.values()
                        if known.session_id == payload["d"]["session_id"]
                    ),
                    None,
                )
                if session is None:  # op 9: not resumable, identify again
                    await ws.send_str(json.dumps({"op": 9, "d": False, "s": None, "t": None}))
                    continue
                after = int(payload["d"]["seq"] or 0)
                for event in session.events:
                    if event["s"] > after:
                        await ws.send_str(json.dumps(event))
                await ws.send_str(
                    json.dumps({"op": 0, "t": "RESUMED", "s": len(session.events), "d": {}})
                )
                session.live = ws
        if session is not None and session.live is ws:
            session.live = None
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, shard_id: int, shard_count: int
    ) -> GatewaySession:
        """A new session for the shard: READY with its servers, then their GUILD_CREATEs."""
        name = self.session_id if shard_id == 0 else f"fake-session-{shard_id + 1}"
        session = GatewaySession(shard_id, shard_count, name)
        self.sessions[shard_id] = session
        guilds = [g for g in self.guild_ids if session.owns(g)]
        ready = {
            "v": 10,
            "user": user(BOT_ID, "ChampionsBot", bot=True),
            "guilds": [{"id": g, "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
        }
        if shard_count > 1 or shard_id:
            ready["shard"] = [shard_id, shard_count]
        await self._send_event(session, "READY", ready, ws)
        for guild_id in guilds:
            await self._send_event(session, "GUILD_CREATE", self._guild(guild_id), ws)
        session.live = ws
        return session

    def _session_for(self, guild_id: str | None) -> GatewaySession | None:
        """The session that receives ``guild_id``'s events (None: a DM, shard 0's)."""
        return next((s for s in self.sessions.values() if s.owns(guild_id)), None)

    async def _send_event(
        self,
        session: GatewaySession,
        name: str,
        data: Any,
        ws: web.WebSocketResponse | None = None,
    ) -> None:
        event = {"op": 0, "t": name, "s": len(session.events) + 1, "d": data}
        session.events.append(event)
        target = ws or session.live
        if target is not None and not target.closed:
            await target.send_str(json.dumps(event))

    @property
    def events(self) -> list[dict[str, Any]]:
        """Shard 0's dispatches (the only session when unsharded)."""
        return self.sessions[0].events if 0 in self.sessions else []

    async def settle(self, quiet: float = 0.15, within: float = 10) -> None:
        """Wait until the bot handles no gateway event and has made no request for ``quiet``
        seconds. The bot runs in this event loop: discord.py runs each event handler as a
        task named ``discord.py: on_<event>``, so "still handling" is seen, not guessed (a
        quiet period alone ended too early on a loaded machine)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while loop.time() < deadline:
            seen = len(self.requests)
            await asyncio.sleep(quiet)
            if seen == len(self.requests) and not _handling_events():
                return

    async def wait_for(self, predicate: Callable[[], object], within: float = 10) -> None:
        """Wait until ``predicate()`` holds: a send that goes through the outbox comes after
        database work, so no fixed quiet period is long enough on a loaded machine."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            if loop.time() > deadline:
                raise TimeoutError(f"still not true after {within} s: {predicate}")
            await asyncio.sleep(0.02)

    async def wait_connected(self, within: float = 10, *, shards: int = 1) -> None:
        """Wait until ``shards`` sessions are connected (every shard of a sharded bot)."""
        await self.wait_for(
            lambda: sum(1 for s in self.sessions.values() if s.live is not None) >= shards,
            within,
        )

    async def dispatch(self, name: str, data: Any) -> None:
        """Send a gateway event on the shard that owns its server (DMs: shard 0); while that
        shard is disconnected the event is kept and replayed on RESUME."""
        session = self._session_for(data.get("guild_id") if isinstance(data, dict) else None)
        if session is None:
            raise RuntimeError("no gateway session receives this event yet")
        if name == "INTERACTION_CREATE" and data.get("id") in self.interactions:
            self.interactions[data["id"]].dispatched_at = asyncio.get_running_loop().time()
        await self._send_event(session, name, data)

    async def drop_connection(self, shard_id: int = 0) -> None:
        """Cut a shard's gateway connection uncleanly; the client must reconnect and resume."""
        session = self.sessions[shard_id]
        dropped = session.live
        assert dropped is not None
        session.live = None
        await dropped.close(code=4000, message=b"dropped by the fake")

    # events tests send ----------------------------------------------------------------------

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

    def message_event(
        self,
        user_id: str,
        channel_id: str,
        content: str,
        *,
        guild: bool = True,
        reply_to: str | None = None,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE from ``user_id`` in a channel, thread (forum post) or DM; a reply
        to message ``reply_to`` when given."""
        data: dict[str, Any] = {
            "id": self.new_id(),
            "channel_id": channel_id,
            "type": 0,
            "content": content,
            "author": self.users[user_id],
            "attachments": [],
            "embeds": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "flags": 0,
            "components": [],
        }
        if guild:
            data["guild_id"] = self.channels.get(channel_id, {}).get("guild_id", GUILD_ID)
            data["member"] = {k: v for k, v in self.member(user_id).items() if k != "user"}
        if reply_to is not None:
            data["message_reference"] = {"message_id": reply_to, "channel_id": channel_id}
            if reply_to in self.messages:
                data["referenced_message"] = self.messages[reply_to]
        return data

    def interaction(
        self,
        user_id: str,
        kind: int,
        data: dict[str, Any],
        *,
        channel_id: str | None = None,
        dm: bool = False,
        locale: str | None = None,
        message: dict[str, Any] | None = None,
    ) -> Interaction:
        """An INTERACTION_CREATE payload: 2 command, 3 button, 4 autocomplete, 5 modal submit.
        ``locale`` defaults to the one the person's app is set to."""
        locale = locale or self.user_locales.get(user_id, "en-US")
        interaction_id = self.new_id()
        token = f"token-{interaction_id}"
        if dm:
            channel_id = channel_id or f"9{user_id[1:]}"
            channel = {"id": channel_id, "type": 1}
        else:
            channel_id = channel_id or self.general
            known = self.channels[channel_id]
            channel = {k: known[k] for k in ("id", "type", "guild_id", "name", "parent_id")}
            if known["type"] == 11:
                channel["thread_metadata"] = known["thread_metadata"]
        payload: dict[str, Any] = {
            "id": interaction_id,
            "application_id": APP_ID,
            "type": kind,
            "token": token,
            "version": 1,
            "channel_id": channel_id,
            "channel": channel,
            "locale": locale,
            "app_permissions": "0",
            "entitlements": [],
            "authorizing_integration_owners": {},
            "data": data,
            "attachment_size_limit": 10_000_000,
        }
        if dm:
            payload["user"] = self.users[user_id]
            payload["context"] = 1
        else:
            payload["guild_id"] = channel["guild_id"]
            payload["guild_locale"] = "en-US"
            payload["member"] = self.member(user_id)
            payload["context"] = 0
        if message is not None:
            payload["message"] = message
        found = Interaction(interaction_id, token, payload)
        self.interactions[interaction_id] = found
        return found

    def attachment(
        self,
        filename: str,
        data: bytes,
        content_type: str = "application/pdf",
        size: int | None = None,
    ) -> dict[str, Any]:
        """An attachment a member adds to a slash command: Discord uploads it to its CDN (here,
        :meth:`_attachment_content`) and resolves the option to this object. ``size`` overrides
        the reported size (a big file the fake need not hold)."""
        attachment_id = self.new_id()
        self.attachments[attachment_id] = data
        url = f"http://127.0.0.1:{self.port}/attachments/{self.general}/{attachment_id}/{filename}"
        found = {
            "id": attachment_id,
            "filename": filename,
            "size": len(data) if size is None else size,
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": True,
        }
        errors = [e.message for e in _schema_validator("AttachmentResponse").iter_errors(found)]
        assert not errors, errors
        return found

    async def _attachment_content(self, request: web.Request) -> web.StreamResponse:
        """The CDN: an attachment's bytes at its URL (no bot token needed, as on Discord)."""
        data = self.attachments.get(request.match_info["id"])
        if data is None:
            return web.Response(status=404, text="Not Found")
        self.attachment_reads.append(request.match_info["id"])
        return web.Response(body=data, content_type="application/octet-stream")

    def command_data(
        self,
        *words: str,
        options: dict[str, Any] | None = None,
        focused: str | None = None,
        attachments: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """``data`` of a slash command ``/words...`` with ``options`` (as Discord nests them);
        ``attachments`` (option name → :meth:`attachment`) are ATTACHMENT options (type 11)
        whose value is the attachment id, resolved in ``data.resolved.attachments``."""
        root = next((c for c in self.commands if c["name"] == words[0]), None)
        leaf_options = [
            {
                "name": name,
                "type": 4 if isinstance(value, int) else 3,
                "value": value,
                **({"focused": True} if name == focused else {}),
            }
            for name, value in (options or {}).items()
        ]
        for name, attached in (attachments or {}).items():
            declared = self._declared_option(words, name)
            assert declared is not None and declared["type"] == 11, (words, name, declared)
            leaf_options.append({"name": name, "type": 11, "value": attached["id"]})
        nested: list[dict[str, Any]] = leaf_options
        for depth, word in reversed(list(enumerate(words[1:], start=1))):
            is_group = depth < len(words) - 1
            nested = [{"name": word, "type": 2 if is_group else 1, "options": nested}]
        data: dict[str, Any] = {
            "id": root["id"] if root else self.new_id(),
            "name": words[0],
            "type": 1,
            "options": nested,
        }
        guild_id = root["guild_id"] if root else GUILD_ID  # None: a global command
        if guild_id is not None:
            data["guild_id"] = guild_id
        if attachments:
            data["resolved"] = {"attachments": {a["id"]: a for a in attachments.values()}}
        return data

    def _declared_option(self, words: tuple[str, ...], name: str) -> dict[str, Any] | None:
        """The option ``name`` of ``/words...`` as the bot declared it (None: not declared)."""
        node = next((c for c in self.commands if c["name"] == words[0]), None)
        for word in words[1:]:
            if node is None:
                return None
            node = next((o for o in node.get("options") or [] if o["name"] == word), None)
        if node is None:
            return None
        return next((o for o in node.get("options") or [] if o["name"] == name), None)

    async def run_interaction(self, interaction: Interaction, within: float = 10) -> Interaction:
        """Dispatch the interaction and wait until the bot answered it somehow."""
        await self.dispatch("INTERACTION_CREATE", interaction.payload)
        await asyncio.wait_for(interaction.answered.wait(), within)
        return interaction
