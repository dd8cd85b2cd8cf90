"""Who is asking, where, with what rights and language: the context of every request.

This is the fixed work of each request (:func:`caller_context`), kept to two statements for a
member the bot knows, so it lives apart from the router's dispatch and is measured on its own
(``tests/core/test_request_path.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import CommandContext
from bot.core.i18n import Translator, normalize_language
from bot.core.messages import PlaceKind, Request
from bot.core.registry import Audience

if TYPE_CHECKING:
    from bot.core.ports import Ports
    from storage.models import Community, Member, Membership
    from storage.unit_of_work import UnitOfWork


async def caller_context(
    ports: Ports, uow: UnitOfWork, request: Request, *, create: bool = True
) -> CommandContext:
    """Who asks, in which community, with what rights and language. ``create=False``
    (read-only lookups) neither creates a member nor joins them to the community.

    This is the fixed work of every request, so it is kept to two statements for a
    member the bot knows: the member with their accounts, then the community with their
    membership of it."""
    member = await _member(ports, uow, request, create=create)
    community, membership = await _community(ports, uow, request, member)
    if create and membership is None:
        # Writing in a community's chat (or to the bot, for the default one) is joining it.
        membership = await uow.communities.join(community, member, ports.clock.now())
    audience = _audience(ports, request, membership)
    if create:
        _adopt_locale(member, request)
    language = (
        member.language or normalize_language(request.actor.locale) or community.default_language
    )
    return CommandContext(
        ports=ports,
        uow=uow,
        request=request,
        member=member,
        community=community,
        audience=audience,
        translator=Translator(language),
    )


async def _member(
    ports: Ports, uow: UnitOfWork, request: Request, *, create: bool = True
) -> Member:
    """The caller's member, created on first contact (or, with ``create=False``, a
    member object that is never added to the session)."""
    actor = request.actor
    member = await uow.members.by_account(actor.platform.value, actor.user_id)
    if member is None and not create:
        return uow.members.unsaved(actor.display_name.strip()[:100] or actor.user_id)
    if member is None:
        member = await uow.members.create(
            display_name=actor.display_name.strip()[:100] or actor.user_id,
            platform=actor.platform.value,
            platform_user_id=actor.user_id,
            username=actor.username,
            language=normalize_language(actor.locale),
            now=ports.clock.now(),
        )
    elif create and actor.username is not None:
        # Handles change on the platform; the stored one follows (an UPDATE only then).
        await uow.members.note_username(member, actor.platform.value, actor.user_id, actor.username)
    return member


async def _community(
    ports: Ports, uow: UnitOfWork, request: Request, member: Member
) -> tuple[Community, Membership | None]:
    """The community the request acts on, with the caller's membership of it: the one a
    group chat is linked to, else the one the member chose or joined first, else the
    default community."""
    if request.place.kind is not PlaceKind.PRIVATE and member.id is not None:
        linked = await uow.communities.for_chat_as(
            request.place.platform.value, request.place.chat_id, member
        )
        if linked is not None:
            return linked
    elif request.place.kind is not PlaceKind.PRIVATE:  # someone never met (inline)
        community = await uow.communities.for_chat(
            request.place.platform.value, request.place.chat_id
        )
        if community is not None:
            return community, None
    if member.id is not None:
        home = await uow.communities.home_of(member)
        if home is not None:
            return home
    default = await uow.communities.by_slug(ports.default_community)
    if default is None:  # the app ensures it at start-up
        raise RuntimeError("default community missing; was BotApp.start() called?")
    return default, None  # no home: not a member anywhere yet


def _adopt_locale(member: Member, request: Request) -> None:
    """The one rule for a member's language (docs/style.md, *Which language*): the language
    they chose with /language always wins; else the language their platform reports now is
    stored, so that what is sent later (reminders, digests, relays, notices) speaks as the
    replies do, and follows when they switch their app to another language."""
    if member.language_chosen:
        return
    found = normalize_language(request.actor.locale)
    if found is not None and found != member.language:
        member.language = found


def _audience(ports: Ports, request: Request, membership: Membership | None) -> Audience:
    if ports.access.is_global_admin(request.actor):
        return Audience.ADMIN
    role = membership.role if membership else "member"
    return {"admin": Audience.ADMIN, "champion": Audience.CHAMPION}.get(role, Audience.ANYONE)
