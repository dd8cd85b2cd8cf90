"""Threads and forums: posts, threads with or without a message, members, renames, tags.

Discord's checks apply (the name, the channel's type, the bot's permission), and the client
hears of each new or changed thread. The guild's active threads can be read back (:mod:`.rest`).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord.gateway import Gateway
from tests.fakes.discord.messages import Messages
from tests.fakes.discord.records import BOT_ID
from tests.fakes.discord_rules import (
    ARCHIVED_THREAD,
    MISSING_PERMISSIONS,
    PRIVATE_THREAD,
    SEND_MESSAGES_IN_THREADS,
    THREAD_TYPES,
    WRONG_CHANNEL_TYPE,
    thread_permission,
    thread_type_fits,
)


class Threads(Messages, Gateway):
    """Forum posts, threads, their members and changes, and forum tags."""

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
