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
from bot.core.i18n import Translator
from bot.core.messages import Platform, Recipient
from bot.core.vocab import REGIONS, label
from storage.folding import fold_name
from storage.models import Member
from storage.repositories.members import EVERYONE, MemberScope
from storage.repositories.recipients import Attendee, Reachable
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


async def find_member(
    uow: UnitOfWork,
    reference: str,
    scope: MemberScope,
    translator: Translator | None = None,
) -> Member:
    """The member of ``scope`` named by ``reference``, found the same way by every command:
    ``#12``, ``@handle``, the full name or any of its words (a first name), accents and case
    aside (``lucia`` finds ``Lucía Gómez``). When several match, the error lists them with
    their handles and regions, so the caller can repeat with the one they mean."""
    text = reference.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()  # "Lucía Gómez", quoted as in other commands
    if text.startswith("#") and text[1:].isdecimal():
        number = as_id(text[1:])  # beyond any id (or zero): no such member
        found = await uow.members.in_scope(number, scope) if number is not None else None
        if found is None:
            raise NotFoundError("I found no member called “{name}”.", name=reference[:100])
        return found
    bare = text.lstrip("@")
    by_username = await uow.members.by_username(bare, scope) if bare else []
    if len(by_username) == 1:
        return by_username[0]
    candidates = by_username or _best(
        bare, await uow.members.by_words(bare, scope, limit=CANDIDATES * 4)
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFoundError("I found no member called “{name}”.", name=reference[:100])
    raise UsageError(
        "“{name}” could be several members: {names}. Repeat the command with the @handle "
        "or the #number of the one you mean.",
        name=reference[:100],
        names="; ".join(describe(m, translator) for m in candidates[:CANDIDATES]),
    )


def _best(text: str, candidates: list[Member]) -> list[Member]:
    """The closest matches: the whole name, else whole words (a first name), else word
    beginnings — so ``Ana`` finds Ana Diop even when Anaïs Kone exists."""
    key = fold_name(text)
    whole = [m for m in candidates if m.search_key == key]
    if whole:
        return whole
    words = [m for m in candidates if f" {key} " in f" {m.search_key} "]
    return words or candidates


def describe(member: Member, translator: Translator | None = None) -> str:
    """``Lucía Gómez (@lucia, Latin America, #12)``: enough to tell namesakes apart."""
    parts = [f"@{a.username}" for a in member.accounts if a.username][:2]
    region = label(REGIONS, member.region)
    if region:
        parts.append(translator.gettext(region) if translator else region)
    parts.append(f"#{member.id}")
    return f"{member.display_name} ({', '.join(parts)})"


def private_recipient(member: Member, prefer: str | None = None) -> Recipient | None:
    """Where to reach a member privately: their account on ``prefer`` (the platform they used,
    e.g. to RSVP), else their oldest account. Private recipients are addressed by user id."""
    accounts = sorted(member.accounts, key=lambda a: (a.platform != prefer, a.id))
    if not accounts:
        return None
    account = accounts[0]
    return Recipient(Platform(account.platform), account.platform_user_id, private=True)


def reachable_recipient(row: Reachable | Attendee) -> Recipient:
    """Where to reach a member read as a plain row (the account the row's query chose, as
    :func:`private_recipient` would: the oldest, or an attendee's on the platform they
    RSVP'd from)."""
    return Recipient(Platform(row.platform), row.platform_user_id, private=True)
