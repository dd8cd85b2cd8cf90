"""Finding the member an admin means when they type a name."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.arguments import as_id
from bot.core.errors import NotFoundError, UsageError
from bot.core.messages import Platform, Recipient
from storage.models import Account, Member
from storage.unit_of_work import UnitOfWork


async def find_member(uow: UnitOfWork, reference: str) -> Member:
    """The member named by ``reference``: ``#12``, a platform username, or a display name.

    A display-name prefix works when it names exactly one member; otherwise the error lists
    who was meant, so the admin can be precise.
    """
    text = reference.strip().lstrip("@")
    if text.startswith("#") and text[1:].isdecimal():
        number = as_id(text[1:])  # beyond any id (or zero): no such member
        found = await uow.members.get(number) if number is not None else None
        if found is None:
            raise NotFoundError("I found no member called “{name}”.", name=reference[:100])
        return found
    exact = await uow.members.by_name(text)
    if len(exact) == 1:
        return exact[0]
    by_username = (
        await uow.session.scalars(
            select(Member).join(Account).where(func.lower(Account.username) == text.lower())
        )
    ).all()
    if len(by_username) == 1:
        return by_username[0]
    candidates = exact or list(
        (
            await uow.session.scalars(
                select(Member)
                .where(func.lower(Member.display_name).startswith(text.lower()))
                .order_by(Member.id)
                .limit(6)
            )
        ).all()
    )
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
