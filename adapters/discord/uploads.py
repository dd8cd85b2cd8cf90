"""A slash command's attachment option, fetched for the core.

Discord gives the file's name, size and claimed type with the interaction (``resolved``) and
its content at the attachment's URL. Within ``limit`` bytes the content is read
(:meth:`discord.Attachment.read`); a bigger file reaches the core with its size and no content,
so the core answers politely and stores nothing.
"""

from __future__ import annotations

import dataclasses

import discord

from bot.core.messages import Request, Upload


async def with_attachment(request: Request, attachment: discord.Attachment, limit: int) -> Request:
    size = attachment.size
    data: bytes | None = None
    if size <= limit:
        data = await attachment.read()  # a failure is logged by discord.py's command error
        if len(data) > limit:
            size, data = len(data), None
    mime = attachment.content_type or "application/octet-stream"
    return dataclasses.replace(request, upload=Upload(attachment.filename, mime, size, data))
