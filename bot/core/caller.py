"""Who is asking, where, with what rights and language: the context of every request.

This is the fixed work of each request (:func:`caller_context`), kept to one statement for a
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
    ports: Ports,
    uow: UnitOfWork,
    request: Request,
    *,
    create: bool = True,
    record_update: bool = False,
) -> CommandContext:
    """Who asks, in which community, with what rights and language. ``create=False``
    (read-only lookups) neither creates a member nor joins them to the community.

    This is the fixed work of every request, so it is one statement for a member the bot
    knows: the member with their accounts, the community and their membership of it
    (``uow.callers``). With ``record_update`` (only where ``uow.callers.records_updates``)
    the same statement records the request's update as handled, and
    :class:`storage.errors.AlreadyHandled` says it was handled before."""
    member, community, membership = await _caller(
        ports, uow, request, create=create, record_update=record_update
    )
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


async def _caller(
    ports: Ports, uow: UnitOfWork, request: Request, *, create: bool, record_update: bool
) -> tuple[Member, Community, Membership | None]:
    """The caller's member (created on first contact or, with ``create=False``, a member
    object that is never added to the session), the community the request acts on and
    their membership of it: the one a group chat is linked to, else the one the member
    chose or joined first, else the default community."""
    actor, place = request.actor, request.place
    chat_id = None if place.kind is PlaceKind.PRIVATE else place.chat_id
    found = await uow.callers.find(
        platform=actor.platform.value,
        platform_user_id=actor.user_id,
        chat_platform=place.platform.value,
        chat_id=chat_id,
        default=ports.default_community,
        update_key=request.update_id if record_update else None,
        recorded_at=ports.clock.now() if record_update else None,
    )
    if found is not None:
        member, community, membership = found
        if create and actor.username is not None:
            # Handles change on the platform; the stored one follows (an UPDATE only then).
            platform = actor.platform.value
            await uow.members.note_username(member, platform, actor.user_id, actor.username)
        return member, community, membership
    name = actor.display_name.strip()[:100] or actor.user_id
    if create:
        member = await uow.members.create(
            display_name=name,
            platform=actor.platform.value,
            platform_user_id=actor.user_id,
            username=actor.username,
            language=normalize_language(actor.locale),
            now=ports.clock.now(),
        )
    else:
        member = uow.members.unsaved(name)
    # Someone new has chosen and joined nothing: the chat's community, else the default.
    where = await uow.callers.community_for(
        chat_platform=place.platform.value, chat_id=chat_id, default=ports.default_community
    )
    if where is None:  # the app ensures it at start-up
        raise RuntimeError("default community missing; was BotApp.start() called?")
    return member, where, None


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
