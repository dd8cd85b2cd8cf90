"""Linking a member's accounts: one person on Telegram and Discord is one member.

``/link`` on the first platform gives a short one-time code; ``/link CODE`` on the other moves
that account to the member who asked. Only an account with no activity of its own is moved
(its automatic member row is then deleted), so linking never merges two histories by accident.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from bot.core.errors import UserFacingError
from storage.models import Account, Answer, LinkCode, Member, Question, Rsvp, Story
from storage.unit_of_work import UnitOfWork

CODE_LIFETIME = timedelta(minutes=15)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type from a phone


async def new_code(uow: UnitOfWork, member: Member, now: datetime) -> str:
    """A fresh code for ``member`` (older codes of theirs stop working)."""
    await uow.session.execute(delete(LinkCode).where(LinkCode.member_id == member.id))
    await uow.session.execute(delete(LinkCode).where(LinkCode.expires_at < now))
    code = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    uow.session.add(LinkCode(code=code, member_id=member.id, expires_at=now + CODE_LIFETIME))
    await uow.session.flush()
    return code


async def _has_activity(uow: UnitOfWork, member: Member) -> bool:
    checks = (
        select(func.count()).select_from(Question).where(Question.asker_id == member.id),
        select(func.count()).select_from(Answer).where(Answer.author_id == member.id),
        select(func.count()).select_from(Story).where(Story.member_id == member.id),
        select(func.count()).select_from(Rsvp).where(Rsvp.member_id == member.id),
    )
    for check in checks:
        if await uow.session.scalar(check):
            return True
    return False


async def link(uow: UnitOfWork, member: Member, code: str, now: datetime) -> Member:
    """Move ``member``'s accounts to the owner of ``code``; return the owner."""
    found = await uow.session.get(LinkCode, code.strip().upper())
    if found is None or found.expires_at < now:
        raise UserFacingError(
            "That code is unknown or expired. Type /link on your other platform for a new one."
        )
    owner = await uow.members.get(found.member_id)
    if owner is None:
        raise UserFacingError("That code is unknown or expired.")
    if owner.id == member.id:
        raise UserFacingError("These accounts are already linked.")
    if await _has_activity(uow, member):
        raise UserFacingError(
            "This account already has questions, answers, stories or RSVPs of its own, so I "
            "will not merge it automatically. Please ask an admin."
        )
    await uow.session.delete(found)
    accounts = (
        await uow.session.scalars(select(Account).where(Account.member_id == member.id))
    ).all()
    for account in accounts:
        account.member_id = owner.id
    await uow.session.flush()
    await uow.session.refresh(member, ["accounts"])
    await uow.members.delete(member)
    owner.updated_at = now
    return owner
