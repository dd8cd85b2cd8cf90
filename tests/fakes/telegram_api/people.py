"""The bot's own identity, and the people and chats a test builds updates from (Bot API User
and Chat objects, as Telegram sends them)."""

from __future__ import annotations

from typing import Any

BOT_ID = 777000111
BOT_USERNAME = "champions_test_bot"


def user(user_id: int, first_name: str, *, language: str | None = "en") -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language:
        data["language_code"] = language
    return data


def private_chat(person: dict[str, Any]) -> dict[str, Any]:
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group_chat(chat_id: int, title: str, *, forum: bool = False) -> dict[str, Any]:
    chat: dict[str, Any] = {
        "id": chat_id,
        "type": "supergroup" if forum else "group",
        "title": title,
    }
    if forum:
        chat["is_forum"] = True
    return chat
