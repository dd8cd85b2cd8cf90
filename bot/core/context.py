"""What a handler gets: the request, who asked, in which community, a transaction, and tools.

The context reaches the running app only through :class:`~bot.core.ports.Ports` (``ctx.now``,
``ctx.services``, ``ctx.registry``), so a handler never depends on how the app is wired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bot.core.errors import NotFoundError
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


class Owned(Protocol):
    """Anything that belongs to one community (an event, a story, a question...), or to the
    whole deployment when ``community_id`` is ``None`` (a catalogue resource)."""

    @property
    def community_id(self) -> int | None: ...


OwnedT = TypeVar("OwnedT", bound=Owned)


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

    def may_administer(self, community_id: int | None) -> bool:
        """Admins act on their own community's things; the secretariat on every community's,
        and alone on what belongs to no community (``None``: the whole deployment's)."""
        if self.is_global_admin:
            return True
        return self.is_admin and community_id is not None and community_id == self.community.id

    def administered(self, found: OwnedT | None, missing: NotFoundError) -> OwnedT:
        """``found``, when this admin may act on it; else ``missing`` is raised.

        Every admin action on an object someone named (``/webinar cancel 12``, ``/story
        approve 3``) loads it and passes it through here, so rights are always checked on the
        object's own community, never on whether the admin can see it. Another community's
        object meets the very same polite "not found" as one that does not exist: the answer
        does not tell that it exists.
        """
        if found is None or not self.may_administer(found.community_id):
            raise missing
        return found

    @property
    def zone(self) -> str:
        """The reader's time zone: theirs, else the community's."""
        return self.member.timezone or self.community.timezone

    def _(self, message: str, /, **values: Any) -> str:
        return self.translator.gettext(message, **values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The plural twin of ``_``: the form that fits ``n`` (``{count}`` is ``n``)."""
        return self.translator.ngettext(singular, plural, n, **values)

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

    async def audit(self, action: str, *, within: int | None = None, **detail: Any) -> None:
        """Record an admin action in the log of community ``within`` (default: the current
        one), so an object's own community sees who acted on it, even the secretariat.

        The members an entry is about go under ``member_id`` (one) or ``member_ids`` (a
        list), nowhere else: ``/mydata`` lists such entries and ``/forget`` empties them."""
        await self.uow.audit.record(
            action=action,
            actor_member_id=self.member.id,
            community_id=self.community.id if within is None else within,
            detail=detail,
            now=self.now,
        )
