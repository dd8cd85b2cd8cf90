"""The bot's profile: who it is (``getMe``) and its command menus (``setMyCommands``, kept in
:attr:`FakeTelegram.commands` by scope and language)."""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.telegram_api.base import FakeTelegramBase
from tests.fakes.telegram_api.people import BOT_ID, BOT_USERNAME


class TelegramProfile(FakeTelegramBase):
    """getMe and the command menus."""

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Champions Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        scope = params.get("scope", '{"type": "default"}')
        key = (json.dumps(json.loads(scope), sort_keys=True), params.get("language_code", ""))
        self.commands[key] = json.loads(params["commands"])
        return True

    async def _m_deleteMyCommands(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        return True
