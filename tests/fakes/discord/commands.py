"""Slash commands as people use them: a command's ``data`` with its options, and the files
they attach (served from a loopback CDN). The bot's command sync is a REST route
(:mod:`.rest`)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord.base import FakeDiscordBase
from tests.fakes.discord.records import GUILD_ID
from tests.fakes.discord.spec import _schema_validator


class SlashCommands(FakeDiscordBase):
    """The ``data`` of a slash command the bot declared, and its attachments."""

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
