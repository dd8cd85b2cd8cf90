"""Whom a fan-out tells, read as plain rows (issue 17: work that does not grow with the data).

A fan-out to a community's champions needs, per person, where to write (their oldest account:
what ``private_recipient`` picks without a preferred platform), the language and zone to write
in, and what it filters on (region, expertise). Loading them as ORM members read their accounts
``selectin``, one more statement per 500 members, and built two objects per person; here one
statement reads a narrow row each. Members without an account are left out, as
``private_recipient`` left them out; a forgotten member has no row.

An event's attendees (:func:`attending`) are read the same way, each with the account on the
platform they RSVP'd from when they have one (``private_recipient(member, prefer=...)``) and
their own reminder offsets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, Subquery, Text, case, cast, func, select

from storage.models import Account, Member, Membership, Rsvp
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
        oldest_accounts_first()
        .join(Membership, Membership.member_id == Account.member_id)
        .where(Membership.community_id == community_id, Membership.role == role)
        .subquery("first_account")
    )
    return _reachable(numbered).order_by(Member.display_name, Member.id)


def with_ids(
    member_ids: Sequence[int],
) -> Select[int, str, str, str | None, str | None, str | None, str]:
    """The members of ``member_ids`` who have an account, as :class:`Reachable` columns in no
    order: a handful of people named by id (an event's speakers) in one statement."""
    numbered = (
        oldest_accounts_first()
        .where(Account.member_id.in_(list(member_ids)))
        .subquery("first_account")
    )
    return _reachable(numbered)


def oldest_accounts_first() -> Select[int, str, str, int]:
    """Accounts (member id, platform, platform user id) with ``place`` 1 for each member's
    oldest, as ``private_recipient`` chooses without a preference. Callers narrow it with their
    own ``JOIN`` and ``WHERE`` (applied before the numbering) and keep ``place == 1``."""
    return select(
        Account.member_id,
        Account.platform,
        Account.platform_user_id,
        func.row_number().over(partition_by=Account.member_id, order_by=Account.id).label("place"),
    )


def _reachable(
    numbered: Subquery,
) -> Select[int, str, str, str | None, str | None, str | None, str]:
    """:class:`Reachable` columns of the members whose account ``numbered`` places first."""
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


class Attendee(NamedTuple):
    """An event's attendee and where to remind them: a small row, not an RSVP and a member."""

    member_id: int
    platform: str
    platform_user_id: str
    language: str | None
    timezone: str | None
    offsets: tuple[int, ...] | None
    """Their own reminder offsets in minutes; ``None`` means the event's."""


def attending(
    event_id: int, member_id: int | None = None
) -> Select[int, str, str, str | None, str | None, str | None]:
    """The attendees of ``event_id`` who have an account (only ``member_id`` when given), as
    :class:`Attendee` columns in the order they RSVP'd.

    Each attendee's accounts are numbered by a window: first the one on the platform they
    RSVP'd from, then the oldest, as ``private_recipient(member, prefer=rsvp.platform)``
    chooses. Offsets come as JSON text, parsed once per distinct text by :func:`as_attendees`."""
    elsewhere = case((Account.platform == Rsvp.platform, 0), else_=1)
    numbered = (
        select(
            Rsvp.id.label("rsvp_id"),
            Rsvp.member_id,
            Account.platform,
            Account.platform_user_id,
            cast(Rsvp.offsets, Text).label("offsets"),
            func.row_number()
            .over(partition_by=Rsvp.id, order_by=(elsewhere, Account.id))
            .label("place"),
        )
        .join(Account, Account.member_id == Rsvp.member_id)
        .where(Rsvp.event_id == event_id)
    )
    if member_id is not None:
        numbered = numbered.where(Rsvp.member_id == member_id)
    chosen = numbered.subquery("chosen_account")
    return (
        select(
            Member.id,
            chosen.c.platform,
            chosen.c.platform_user_id,
            Member.language,
            Member.timezone,
            chosen.c.offsets,
        )
        .select_from(chosen)
        .join(Member, Member.id == chosen.c.member_id)
        .where(chosen.c.place == 1)
        .order_by(chosen.c.rsvp_id)
    )


def as_attendees(rows: Sequence[Any]) -> list[Attendee]:
    """Rows of :func:`attending` as :class:`Attendee`; a SQL ``NULL`` or a JSON ``null``
    means the event's offsets."""
    parsed: dict[str | None, tuple[int, ...] | None] = {}

    def offsets(text: str | None) -> tuple[int, ...] | None:
        if text not in parsed:
            value = json.loads(text) if text else None
            parsed[text] = None if value is None else tuple(int(m) for m in value)
        return parsed[text]

    return [
        Attendee(int(i), platform, user_id, language, zone, offsets(text))
        for i, platform, user_id, language, zone, text in rows
    ]
