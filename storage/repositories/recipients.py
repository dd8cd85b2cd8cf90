"""Whom a fan-out tells, read as plain rows (issue 17: work that does not grow with the data).

A fan-out to a community's champions needs, per person, where to write (their oldest account:
what ``private_recipient`` picks without a preferred platform), the language and zone to write
in, and what it filters on (region, expertise). Loading them as ORM members read their accounts
``selectin``, one more statement per 500 members, and built two objects per person; here one
statement reads a narrow row each. Members without an account are left out, as
``private_recipient`` left them out; a forgotten member has no row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, Text, cast, func, select

from storage.models import Account, Member, Membership
from storage.statuses import MembershipRole


class Reachable(NamedTuple):
    """A member and where to reach them privately: a small row, not a loaded object."""

    member_id: int
    platform: str
    platform_user_id: str
    language: str | None
    timezone: str | None
    region: str | None
    expertise: tuple[str, ...]


def with_role(
    community_id: int, role: MembershipRole
) -> Select[int, str, str, str | None, str | None, str | None, str]:
    """The members of ``community_id`` with ``role`` who have an account, as :class:`Reachable`
    columns, by name (the order ``members_with_role`` gave). Callers add their own ``WHERE``.

    Each member's oldest account (by id, as ``private_recipient`` chooses without a
    preference) is numbered 1 by a window over their accounts: a correlated ``min(id)`` was
    planned by PostgreSQL as a walk of the accounts' primary key per member (25 s at 30k)."""
    numbered = (
        select(
            Account.member_id,
            Account.platform,
            Account.platform_user_id,
            func.row_number()
            .over(partition_by=Account.member_id, order_by=Account.id)
            .label("place"),
        )
        .join(Membership, Membership.member_id == Account.member_id)
        .where(Membership.community_id == community_id, Membership.role == role)
        .subquery("first_account")
    )
    return (
        select(
            Member.id,
            numbered.c.platform,
            numbered.c.platform_user_id,
            Member.language,
            Member.timezone,
            Member.region,
            cast(Member.expertise, Text),
        )
        .select_from(numbered)
        .join(Member, Member.id == numbered.c.member_id)
        .where(numbered.c.place == 1)
        .order_by(Member.display_name, Member.id)
    )


def as_rows(rows: Sequence[Any]) -> list[Reachable]:
    """Rows of :func:`with_role` as :class:`Reachable`; each distinct expertise text is parsed
    once (members share a few dozen lists) and its tuple shared."""
    parsed: dict[str | None, tuple[str, ...]] = {}

    def expertise(text: str | None) -> tuple[str, ...]:
        found = parsed.get(text)
        if found is None:
            found = parsed[text] = tuple(json.loads(text) or ()) if text else ()
        return found

    return [
        Reachable(int(i), platform, user_id, language, zone, region, expertise(text))
        for i, platform, user_id, language, zone, region, text in rows
    ]
