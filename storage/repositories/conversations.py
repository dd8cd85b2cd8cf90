"""Conversations in progress (multi-step questions the bot asked)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int, platform: str, chat_id: str) -> Conversation | None:
        return await self.session.get(Conversation, (member_id, platform, chat_id))

    async def start(
        self,
        member_id: int,
        platform: str,
        chat_id: str,
        *,
        flow: str,
        step: str,
        data: dict[str, Any],
        now: datetime,
    ) -> Conversation:
        conversation = await self.get(member_id, platform, chat_id)
        if conversation is None:
            conversation = Conversation(member_id=member_id, platform=platform, chat_id=chat_id)
            self.session.add(conversation)
        conversation.flow = flow
        conversation.step = step
        conversation.data = dict(data)
        conversation.updated_at = now
        await self.session.flush()
        return conversation

    async def end(self, member_id: int, platform: str, chat_id: str) -> None:
        conversation = await self.get(member_id, platform, chat_id)
        if conversation is not None:
            await self.session.delete(conversation)
            await self.session.flush()
