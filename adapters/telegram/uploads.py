"""The file sent with a message (a document, or a photo), fetched for the core.

Only where it may matter: with a command (``/share`` as a document's caption) or in a private
chat (the file answering "send me the link or the file"); a file posted in a group is not
downloaded. Within ``limit`` bytes the content is fetched (``getFile``, then the file link,
which Telegram serves up to 20 MB); a bigger one reaches the core with its size and no content,
so the core answers politely and stores nothing.
"""

from __future__ import annotations

import dataclasses
import logging

from telegram import Document, Message, PhotoSize
from telegram.error import BadRequest

from bot.core.messages import PlaceKind, Request, RequestKind, Upload

log = logging.getLogger(__name__)


async def with_upload(request: Request, message: Message, limit: int) -> Request:
    """``request`` with the message's file attached, when it has one worth fetching."""
    wanted = request.kind is RequestKind.COMMAND or request.place.kind is PlaceKind.PRIVATE
    if not wanted:
        return request
    item: Document | PhotoSize
    if message.document is not None:
        item = message.document
        name = item.file_name or "document"
        mime = item.mime_type or "application/octet-stream"
    elif message.photo:
        item = message.photo[-1]  # the largest size Telegram kept
        name, mime = f"photo_{item.file_unique_id}.jpg", "image/jpeg"
    else:
        return request
    size = item.file_size or 0
    data: bytes | None = None
    if size <= limit:
        try:
            found = await item.get_file()
            data = bytes(await found.download_as_bytearray())
        except BadRequest as error:  # "file is too big": over Telegram's 20 MB
            log.info("file %s not fetched: %s", name, error)
            size = max(size, limit + 1)
        if data is not None and len(data) > limit:
            size, data = len(data), None
    return dataclasses.replace(request, upload=Upload(name, mime, size, data))
