"""Finding the member someone means when they type a name, among those they may name.

Whom a lookup may find is decided here, once: an admin names members of the community they
administer (the secretariat anyone), so ``/champion approve`` or ``/admin add`` cannot pull a
member of another community in; a member sees the profiles of people they share a community
with, and of those who agreed to be published. Whoever is out of scope is "not found", exactly
like someone who does not exist.
"""

from __future__ import annotations

from bot.core.arguments import as_id
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError, UsageError
from bot.core.messages import Platform, Recipient
from storage.models import Member
from storage.repositories.members import EVERYONE, MemberScope
from storage.unit_of_work import UnitOfWork

CANDIDATES = 6
"""How many members a prefix may match before the admin is asked to be precise."""


def roster_scope(ctx: CommandContext) -> MemberScope:
    """Whom an admin may name in the current community: its members (the secretariat: anyone,
    since it administers every community)."""
    return EVERYONE if ctx.is_global_admin else MemberScope.within({ctx.community.id})


async def profile_scope(ctx: CommandContext) -> MemberScope:
    """Whose profile the caller may read: members of a community they belong to, and anyone
    who agreed to publish their profile (the secretariat: anyone)."""
    if ctx.is_global_admin:
        return EVERYONE
    joined = {m.community_id for m in await ctx.uow.communities.memberships_of(ctx.member)}
    return MemberScope.within(joined | {ctx.community.id}, published=True)


async def find_member(uow: UnitOfWork, reference: str, scope: MemberScope) -> Member:
    """The member of ``scope`` named by ``reference``: ``#12``, a platform username, or a
    display name (a prefix works when it names exactly one member; otherwise the error lists
    who was meant, so the admin can be precise)."""
    text = reference.strip().lstrip("@")
    if text.startswith("#") and text[1:].isdecimal():
        number = as_id(text[1:])  # beyond any id (or zero): no such member
        found = await uow.members.in_scope(number, scope) if number is not None else None
        if found is None:
            raise NotFoundError("I found no member called “{name}”.", name=reference[:100])
        return found
    exact = await uow.members.by_name(text, scope)
    if len(exact) == 1:
        return exact[0]
    by_username = await uow.members.by_username(text, scope)
    if len(by_username) == 1:
        return by_username[0]
    candidates = exact or await uow.members.by_name_prefix(text, scope, limit=CANDIDATES)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFoundError("I found no member called “{name}”.", name=reference[:100])
    raise UsageError(
        "“{name}” could be several members: {names}. Write #number to choose.",
        name=reference[:100],
        names=", ".join(f"{m.display_name} (#{m.id})" for m in candidates[:5]),
    )


def private_recipient(member: Member, prefer: str | None = None) -> Recipient | None:
    """Where to reach a member privately: their account on ``prefer`` (the platform they used,
    e.g. to RSVP), else their oldest account. Private recipients are addressed by user id."""
    accounts = sorted(member.accounts, key=lambda a: (a.platform != prefer, a.id))
    if not accounts:
        return None
    account = accounts[0]
    return Recipient(Platform(account.platform), account.platform_user_id, private=True)
