"""Interactions: the INTERACTION_CREATEs tests send, and the bot's callbacks and follow-ups.

:meth:`Interactions.interaction` builds an INTERACTION_CREATE payload. With
:attr:`FakeDiscord.response_window` set to 3 s, a first response to an interaction later than
that is refused with 10062 as Discord does; follow-ups and edits expire after 15 minutes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from tests.fakes.discord.gateway import Gateway
from tests.fakes.discord.messages import Messages
from tests.fakes.discord.records import APP_ID, Interaction


class Interactions(Messages, Gateway):
    """Interactions sent to the bot, and its answers through the callback and the webhook."""

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

    async def run_interaction(self, interaction: Interaction, within: float = 10) -> Interaction:
        """Dispatch the interaction and wait until the bot answered it somehow."""
        await self.dispatch("INTERACTION_CREATE", interaction.payload)
        await asyncio.wait_for(interaction.answered.wait(), within)
        return interaction

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
