"""The REST API: every request's checks and faults, then its route.

REST: the bot user, application info, command sync, interaction callbacks and follow-ups,
channel messages (JSON or multipart with files), DMs, channels, forum posts, guild scheduled
events, the guild's active threads. A request first meets the token check, the jitter and the
faults tests set (:mod:`.faults`), then the body checks (:mod:`.spec`: 400 ``Invalid Form
Body``, or 50006 for an empty new message), then its route.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fakes.discord.faults import Faults
from tests.fakes.discord.interactions import Interactions
from tests.fakes.discord.records import (
    APP_ID,
    BOT_ID,
    BOT_ROLE_ID,
    GUILD_ID,
    SEND_MESSAGES,
    TIMESTAMP,
    user,
)
from tests.fakes.discord.scheduled_events import ScheduledEvents
from tests.fakes.discord.spec import body_breaches
from tests.fakes.discord.threads import Threads
from tests.fakes.discord_rules import (
    EMPTY_MESSAGE,
    invalid_form_body,
    is_empty_message,
    new_message_body,
)


class RestRoutes(Faults, Interactions, Threads, ScheduledEvents):
    """The REST requests, read, checked and routed to the part that answers them."""

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> Any:
        return await handler(request)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        if request.content_type == "multipart/form-data":
            body: Any = None
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            async for part in reader:
                # discord.py sends a flat form (JSON, then files): no part is itself multipart
                assert isinstance(part, BodyPartReader)
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                else:
                    files.append((part.filename or "", bytes(await part.read())))
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
