"""Messages the bot sends and edits: text, documents and photos, each kept in
:attr:`FakeTelegram.sent` with the text a reader sees; refused as Telegram refuses them (a user
who never opened the chat, the General topic's id, an oversized or malformed photo)."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image

from tests.fakes.telegram_api.base import FakeTelegramBase, _Refused
from tests.fakes.telegram_api.people import BOT_ID
from tests.fakes.telegram_api.records import Sent
from tests.fakes.telegram_html import parse_telegram_html

PHOTO_MAX_BYTES = 10 * 1024 * 1024
"""sendPhoto: "The photo must be at most 10 MB in size"."""


class TelegramMessages(FakeTelegramBase):
    """sendMessage, sendDocument, sendPhoto and the edits."""

    def _message(self, chat_id: int, thread_id: int | None, text: str) -> dict[str, Any]:
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": "someone"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "group"}
        )
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Champions Bot"},
        }
        if text:
            message["text"] = text
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return message

    def _target(self, params: dict[str, Any]) -> tuple[int, int | None]:
        chat_id = int(params["chat_id"])
        thread = params.get("message_thread_id")
        thread_id = int(thread) if thread is not None else None
        if chat_id in self.blocked_users:
            raise _Refused(403, "Forbidden: bot can't initiate conversation with a user")
        if thread_id == 1:
            raise _Refused(400, "Bad Request: message thread not found")
        return chat_id, thread_id

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        source = params["text"]
        text = parse_telegram_html(source) if params.get("parse_mode") == "HTML" else source
        message = self._message(chat_id, thread_id, text)
        keyboard = json.loads(params.get("reply_markup", "{}")).get("inline_keyboard", [])
        self.sent.append(
            Sent("sendMessage", chat_id, thread_id, text, source, message["message_id"], keyboard)
        )
        return message

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        document = params["document"]
        if not isinstance(document, bytes):
            raise _Refused(400, "Bad Request: document must be uploaded")
        message = self._message(chat_id, thread_id, "")
        filename = files.get("document") or "file"
        message["document"] = {"file_id": "f1", "file_unique_id": "u1", "file_name": filename}
        caption = params.get("caption", "")
        self.sent.append(
            Sent(
                "sendDocument",
                chat_id,
                thread_id,
                caption,
                caption,
                message["message_id"],
                document=document,
                filename=filename,
            )
        )
        return message

    async def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        """A picture shown in the chat; refused as Telegram refuses it (size, dimensions)."""
        chat_id, thread_id = self._target(params)
        photo = params["photo"]
        if not isinstance(photo, bytes):
            raise _Refused(400, "Bad Request: photo must be uploaded")
        if len(photo) > PHOTO_MAX_BYTES:
            raise _Refused(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        try:
            width, height = Image.open(io.BytesIO(photo)).size
        except OSError:
            raise _Refused(400, "Bad Request: IMAGE_PROCESS_FAILED") from None
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise _Refused(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        message = self._message(chat_id, thread_id, "")
        size = {"file_id": "p1", "file_unique_id": "pu1", "width": width, "height": height}
        message["photo"] = [size]
        caption = params.get("caption", "")
        filename = files.get("photo") or "photo"
        self.sent.append(
            Sent(
                "sendPhoto", chat_id, thread_id, caption, caption, message["message_id"],
                document=photo, filename=filename,
            )
        )  # fmt: skip
        return message

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        return self._message(chat_id, thread_id, params["text"])

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        return self._message(chat_id, thread_id, "edited")
