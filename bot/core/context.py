"""What a handler gets: the request, who asked, in which community, a transaction, and tools.

The context reaches the running app only through :class:`~bot.core.ports.Ports` (``ctx.now``,
``ctx.services``, ``ctx.registry``), so a handler never depends on how the app is wired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.i18n import Translator
from bot.core.messages import Destination, PlaceKind, Reply, Request
from bot.core.registry import Audience
from bot.core.richtext import doc

if TYPE_CHECKING:
    from bot.core.ports import Ports
    from bot.core.registry import Registry
    from bot.core.services import Services
    from storage.models import Community, Member
    from storage.unit_of_work import UnitOfWork

PRIVATE_CONVERSATION = "private"
"""Conversation key for every private chat of a member on one platform."""


def conversation_key(request: Request) -> str:
    """Private chats share one key per platform, so a flow started from a group continues there."""
    if request.place.kind is PlaceKind.PRIVATE:
        return PRIVATE_CONVERSATION
    return request.place.chat_id + (
        f":{request.place.thread_id}" if request.place.thread_id else ""
    )


@dataclass
class CommandContext:
    """Everything a command or flow handler needs; one per request, one transaction."""

    ports: Ports
    uow: UnitOfWork
    request: Request
    member: Member
    community: Community
    audience: Audience
    translator: Translator
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.ports.clock.now()

    @property
    def services(self) -> Services:
        """The app's services and settings sections, by type: ``ctx.services[HubService]``."""
        return self.ports.services

    @property
    def registry(self) -> Registry:
        """Everything the features declared (``/help`` lists it, ``/start`` finds deep links)."""
        return self.ports.registry

    @property
    def is_admin(self) -> bool:
        return self.audience >= Audience.ADMIN

    @property
    def is_global_admin(self) -> bool:
        """An admin of every community: configured under ``[admins]`` (or the console flag)."""
        return self.ports.access.is_global_admin(self.request.actor)

    def may_administer(self, community_id: int) -> bool:
        """Admins act on their own community's things; the secretariat on every community's."""
        return self.is_admin and (community_id == self.community.id or self.is_global_admin)

    @property
    def zone(self) -> str:
        """The reader's time zone: theirs, else the community's."""
        return self.member.timezone or self.community.timezone

    def _(self, message: str, /, **values: Any) -> str:
        return self.translator.gettext(message, **values)

    def reply(self, *blocks: Any, destination: Destination = Destination.HERE, **kw: Any) -> Reply:
        """A reply in the reader's language; plain strings are escaped text."""
        return Reply(body=doc(*blocks), destination=destination, rtl=self.translator.rtl, **kw)

    # conversations ---------------------------------------------------------------

    async def ask_next(
        self, flow: str, step: str, data: dict[str, Any] | None = None, *, private: bool = False
    ) -> None:
        """Route this member's next plain message here (or in private) to ``flow`` at ``step``."""
        await self.uow.conversations.start(
            self.member.id,
            self.request.place.platform.value,
            PRIVATE_CONVERSATION if private else conversation_key(self.request),
            flow=flow,
            step=step,
            data=data or {},
            now=self.now,
        )

    async def end_conversation(self) -> None:
        await self.uow.conversations.end(
            self.member.id, self.request.place.platform.value, conversation_key(self.request)
        )

    async def audit(self, action: str, **detail: Any) -> None:
        await self.uow.audit.record(
            action=action,
            actor_member_id=self.member.id,
            community_id=self.community.id,
            detail=detail,
            now=self.now,
        )
