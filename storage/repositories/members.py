"""Members and their platform accounts, and finding them by what people type.

A lookup by name always says whose members it may find (:class:`MemberScope`): an admin names
members of their own community, a member reads the profiles of people they share a community
with (and of those who agreed to be published). What a person types is always literal: a
``%`` or ``_`` in a name prefix matches those very characters (``autoescape``), on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, lazyload

from storage.folding import fold_name
from storage.id_lists import in_ids
from storage.models import Account, Member, Membership
from storage.repositories import recipients
from storage.repositories.recipients import Reachable


@dataclass(frozen=True)
class MemberScope:
    """Whom a lookup may find: members of ``communities`` (``None``: everyone), and, with
    ``published``, also anyone who agreed to publish their profile; ``only``, when given,
    narrows it to those members (a call's volunteers)."""

    communities: frozenset[int] | None
    published: bool = False
    only: frozenset[int] | None = None

    @classmethod
    def within(cls, community_ids: Collection[int], *, published: bool = False) -> MemberScope:
        return cls(frozenset(community_ids), published)

    @classmethod
    def among(cls, member_ids: Collection[int]) -> MemberScope:
        """Exactly these members (a list the caller already may see, such as volunteers)."""
        return cls(None, only=frozenset(member_ids))

    def condition(self) -> ColumnElement[bool]:
        """The ``WHERE`` clause on :class:`Member` that keeps the members in scope."""
        if self.only is not None:
            return Member.id.in_(self.only) if self.only else false()
        if self.communities is None:
            return true()
        shared = exists().where(
            Membership.member_id == Member.id, Membership.community_id.in_(self.communities)
        )
        return or_(shared, Member.consent_publish.is_(True)) if self.published else shared


EVERYONE = MemberScope(None)
"""No limit: for the secretariat, who administers every community."""

BY_ACCOUNT = (
    select(Member)
    .join(Account)
    .where(
        Account.platform == bindparam("platform"),
        Account.platform_user_id == bindparam("platform_user_id"),
    )
    .options(joinedload(Member.accounts))
)
"""The member behind an account, with their accounts, built once (building a statement and its
cache key costs more than running it; the values are bound). The router's own lookup, which
also finds the community, is ``storage.repositories.callers``."""


class MemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, member_id: int) -> Member | None:
        return await self.session.get(Member, member_id)

    async def reachable(self, member_ids: Sequence[int]) -> list[Reachable]:
        """The members of ``member_ids`` who have an account, as plain rows in the order of
        ``member_ids`` (one statement: a few people named by id, such as an event's speakers)."""
        if not member_ids:
            return []
        rows = (await self.session.execute(recipients.with_ids(member_ids))).all()
        found = {row.member_id: row for row in recipients.as_rows(rows)}
        return [found[i] for i in dict.fromkeys(member_ids) if i in found]

    async def by_account(self, platform: str, platform_user_id: str) -> Member | None:
        values = {"platform": platform, "platform_user_id": platform_user_id}
        return (await self.session.scalars(BY_ACCOUNT, values)).unique().first()

    async def note_username(
        self, member: Member, platform: str, platform_user_id: str, username: str
    ) -> None:
        """Store ``username`` on the member's account on ``platform`` when it changed: no
        statement at all when it did not. A handle is unique on its platform, so an older
        account still holding it (its owner renamed since) lets go of it."""
        for account in member.accounts:
            if account.platform == platform and account.platform_user_id == platform_user_id:
                if account.username == username:
                    return
                await self.session.execute(
                    update(Account)
                    .where(
                        Account.platform == platform,
                        func.lower(Account.username) == username.lower(),
                        Account.id != account.id,
                    )
                    .values(username=None)
                    .execution_options(synchronize_session=False)
                )
                account.username = username
                return

    async def in_scope(self, member_id: int, scope: MemberScope) -> Member | None:
        """Member ``#member_id`` when it is in ``scope``."""
        found = await self._in(scope, select(Member).where(Member.id == member_id))
        return found[0] if found else None

    async def by_name(self, name: str, scope: MemberScope) -> list[Member]:
        """Members in ``scope`` whose display name is ``name`` (case aside)."""
        statement = select(Member).where(func.lower(Member.display_name) == name.strip().lower())
        return await self._in(scope, statement)

    async def by_username(self, username: str, scope: MemberScope) -> list[Member]:
        """Members in ``scope`` with a platform account called ``username`` (case aside)."""
        accounts = select(Account.member_id).where(func.lower(Account.username) == username.lower())
        return await self._in(scope, select(Member).where(Member.id.in_(accounts)))

    async def by_words(self, text: str, scope: MemberScope, *, limit: int) -> list[Member]:
        """Members in ``scope`` whose name has a word starting with ``text`` (folded: accents
        and case aside, so ``lucia`` finds ``Lucía Gómez``; ``%`` and ``_`` taken literally)."""
        key = fold_name(text)[:200]
        if not key:
            return []
        statement = (
            select(Member)
            .where(
                or_(
                    Member.search_key.startswith(key, autoescape=True),
                    Member.search_key.contains(f" {key}", autoescape=True),
                )
            )
            .order_by(Member.id)
            .limit(limit)
        )
        return await self._in(scope, statement)

    async def by_name_prefix(self, prefix: str, scope: MemberScope, *, limit: int) -> list[Member]:
        """Members in ``scope`` whose display name starts with ``prefix``, taken literally."""
        statement = (
            select(Member)
            .where(func.lower(Member.display_name).startswith(prefix.lower(), autoescape=True))
            .order_by(Member.id)
            .limit(limit)
        )
        return await self._in(scope, statement)

    async def _in(self, scope: MemberScope, statement: Select[Member]) -> list[Member]:
        return list((await self.session.scalars(statement.where(scope.condition()))).all())

    def unsaved(self, display_name: str) -> Member:
        """A member object that is never added to the session: for read-only lookups by
        someone the bot has not met (Telegram inline queries), which must leave no row."""
        return Member(display_name=display_name, language=None, languages=[], expertise=[])

    async def create(
        self,
        *,
        display_name: str,
        platform: str,
        platform_user_id: str,
        username: str | None,
        language: str | None,
        now: datetime,
    ) -> Member:
        member = Member(
            display_name=display_name,
            language=language,
            languages=[],
            expertise=[],
            created_at=now,
            updated_at=now,
        )
        member.accounts.append(
            Account(
                platform=platform,
                platform_user_id=platform_user_id,
                username=username,
                created_at=now,
            )
        )
        self.session.add(member)
        await self.session.flush()
        return member

    async def by_ids(self, ids: Collection[int | None]) -> dict[int, Member]:
        """Several members at once, for listings (never one query per row); their accounts
        are not loaded. Meant for capped lists: one statement per 500 ids."""
        wanted = sorted({i for i in ids if i is not None})
        found: dict[int, Member] = {}
        for start in range(0, len(wanted), 500):
            statement = (
                select(Member)
                .where(Member.id.in_(wanted[start : start + 500]))
                .options(lazyload(Member.accounts))
            )
            found.update((m.id, m) for m in (await self.session.scalars(statement)).all())
        return found

    async def names(self, ids: Collection[int | None]) -> dict[int, str]:
        """Member id → display name for any number of ids, in one statement of plain rows
        (an export of every good practice names thousands of authors)."""
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        statement = select(Member.id, Member.display_name).where(
            in_ids(self.session, Member.id, wanted)
        )
        return {int(i): name for i, name in (await self.session.execute(statement)).all()}

    async def all(self) -> list[Member]:
        return list((await self.session.scalars(select(Member).order_by(Member.id))).all())

    async def delete(self, member: Member) -> None:
        await self.session.delete(member)
        await self.session.flush()
