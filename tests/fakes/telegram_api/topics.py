"""Forum topics: opened, renamed, closed, reopened and deleted by the bot in forum supergroups
(:attr:`FakeTelegram.forums`), refused where the chat is no forum or the bot lacks the right."""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram_api.base import FakeTelegramBase, _Refused
from tests.fakes.telegram_api.records import Topic


class TelegramTopics(FakeTelegramBase):
    """The forum topic methods."""

    # forum topics --------------------------------------------------------------------

    def _forum(self, params: dict[str, Any]) -> int:
        chat_id = int(params["chat_id"])
        if chat_id not in self.forums:
            raise _Refused(400, "Bad Request: the chat is not a forum")
        if not self.forums[chat_id]:
            raise _Refused(400, "Bad Request: not enough rights to manage topics")
        return chat_id

    def _topic(self, params: dict[str, Any]) -> Topic:
        key = (self._forum(params), int(params["message_thread_id"]))
        if key not in self.topics:
            raise _Refused(400, "Bad Request: message thread not found")
        return self.topics[key]

    async def _m_createForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id = self._forum(params)
        thread_id = next(self._topic_ids)
        name = params["name"]
        self.topics[(chat_id, thread_id)] = Topic(chat_id, thread_id, name, names=[name])
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    async def _m_editForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if params.get("name"):
            topic.name = params["name"]
            topic.names.append(topic.name)
        return True

    async def _m_deleteForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        del self.topics[(topic.chat_id, topic.thread_id)]
        return True

    async def _m_closeForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if topic.closed:
            raise _Refused(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic.closed = True
        return True

    async def _m_reopenForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if not topic.closed:
            raise _Refused(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic.closed = False
        return True
