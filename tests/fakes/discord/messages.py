"""Channel messages: those the bot creates, their history, and those people post.

Like Discord, a message created with ``enforce_nonce`` and a nonce the bot used in the last
:data:`~tests.fakes.discord.records.NONCE_WINDOW` seconds is not created again: the first one
is returned. Channel history (``GET /channels/{id}/messages``, newest first, without nonces as
Discord keeps none) can be read back.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from tests.fakes.discord.base import FakeDiscordBase
from tests.fakes.discord.records import (
    BOT_ID,
    GUILD_ID,
    NONCE_WINDOW,
    TIMESTAMP,
    Interaction,
    Sent,
    user,
)


class Messages(FakeDiscordBase):
    """Messages made, deduplicated by nonce, listed, and the MESSAGE_CREATEs tests send."""

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
