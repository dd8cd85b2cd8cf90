"""Updates as members' apps send them, for a test to push or deliver: a text message (a command,
in a topic, a reply), a document, a button press, an inline query. Each is a valid Bot API
Update body (the document ones are checked against the API description as they are built)."""

from __future__ import annotations

from typing import Any

from tests.fakes.botapi_spec import check_object
from tests.fakes.telegram_api.base import FakeTelegramBase
from tests.fakes.telegram_api.people import BOT_ID
from tests.fakes.telegram_api.records import Sent


class TelegramIncoming(FakeTelegramBase):
    """Builds the updates tests send the bot."""

    def message(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        thread_id: int | None = None,
        reply_to: Sent | None = None,
    ) -> dict[str, Any]:
        """An update carrying ``text`` from ``sender`` in ``chat`` (a topic when ``thread_id``,
        a reply to a message the bot sent when ``reply_to``)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to.message_id,
                "date": 1_800_000_000,
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Champions Bot"},
                "text": reply_to.text,
            }
        return {"message": message}

    def document(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        filename: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/pdf",
        size: int | None = None,
    ) -> dict[str, Any]:
        """An update carrying a file (a Document) with an optional ``caption``, as a member's
        app sends it; ``size`` overrides the reported ``file_size`` (a file the fake does not
        need to hold whole)."""
        number = next(self._file_ids)
        file_id = f"BQACAgQAAx{number:06d}"
        self.files[file_id] = ("", data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{number:06d}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(data) if size is None else size,
        }
        assert not check_object("document", "Document", document)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": sender,
            "document": document,
        }
        if caption is not None:
            message["caption"] = caption
            if caption.startswith("/"):
                length = len(caption.split()[0]) if caption.split() else 1
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": length}
                ]
        assert not check_object("message", "Message", message)
        return {"message": message}

    def callback(
        self, sender: dict[str, Any], sent: Sent, data: str, *, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """An update for ``sender`` pressing a button with ``data`` under message ``sent``."""
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": 1_800_000_000,
            "chat": chat or {"id": sent.chat_id, "type": "private", "first_name": "x"},
            "text": sent.text,
        }
        if sent.thread_id is not None:
            message["message_thread_id"] = sent.thread_id
            message["is_topic_message"] = True
        return {
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": sender,
                "chat_instance": "ci",
                "message": message,
                "data": data,
            }
        }

    def inline_query(
        self, sender: dict[str, Any], query: str, *, chat_type: str = "supergroup"
    ) -> dict[str, Any]:
        """An update for ``sender`` typing ``@bot query`` in a chat of ``chat_type``."""
        return {
            "inline_query": {
                "id": f"iq{next(self._message_ids)}",
                "from": sender,
                "query": query,
                "offset": "",
                "chat_type": chat_type,
            }
        }
