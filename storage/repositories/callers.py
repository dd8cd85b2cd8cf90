"""Who is asking and where, in one statement: the fixed lookup of every request.

The router needs, on every request, the member behind the platform account (with their
accounts), the community the request acts on and the member's membership of it. These were
two or three statements (the member, then the chat's community or the member's home, then
the default community); here they are one, built once with bound values (building a
statement and its cache key costs more CPU than running it), so a known member costs one
round trip.

The community is chosen in SQL in the order the router always used: the community the chat
is linked to (groups only), else the one the member chose, else the first they joined (by
``joined_at``, then id), else the default community (by slug, from the config).

On PostgreSQL the same statement also records the request's platform update as handled (an
insert that skips a known key, in a ``WITH`` clause): the lookup and the redelivery check are
one round trip. SQLite cannot put an insert in a ``WITH`` clause, and there the first write of
a transaction takes the database's only write lock, so the router records the update last, on
its own (:attr:`CallerLookup.records_updates`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, FromClause, and_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, class_mapper
from sqlalchemy.orm.attributes import instance_dict, instance_state, set_committed_value

from storage.errors import AlreadyHandled
from storage.models import (
    Account,
    Community,
    CommunityChat,
    Member,
    MemberPreference,
    Membership,
    ProcessedUpdate,
)


class Caller(NamedTuple):
    """The member, the community the request acts on, and the member's membership of it
    (``None``: not a member there)."""

    member: Member
    community: Community
    membership: Membership | None


class _Shape:
    """Where one mapped class's columns sit in the caller row, and their attribute names."""

    def __init__(self, cls: type[Any], columns: Any, start: int) -> None:
        self.mapper = class_mapper(cls)
        self.columns = tuple(columns)
        table = self.mapper.local_table
        self.keys = tuple(
            self.mapper.get_property_by_column(table.c[column.name]).key for column in self.columns
        )
        self.slice = slice(start, start + len(self.columns))
        self.end = start + len(self.columns)
        primary = {column.name for column in self.mapper.primary_key}
        self.primary = tuple(i for i, c in enumerate(self.columns) if c.name in primary)


_ALL_ACCOUNTS = Account.__table__.alias("all_accounts")
_MEMBER = _Shape(Member, Member.__table__.columns, 0)
_COMMUNITY = _Shape(Community, Community.__table__.columns, _MEMBER.end)
_MEMBERSHIP = _Shape(Membership, Membership.__table__.columns, _COMMUNITY.end)
_ACCOUNT = _Shape(Account, _ALL_ACCOUNTS.columns, _MEMBERSHIP.end)


_LINKED = (
    select(CommunityChat.community_id)
    .where(
        CommunityChat.platform == bindparam("chat_platform"),
        CommunityChat.chat_id == bindparam("chat_id"),
    )
    .limit(1)
    .scalar_subquery()
)
_DEFAULT = select(Community.id).where(Community.slug == bindparam("default")).scalar_subquery()


def _chosen_community() -> list[ColumnElement[Any]]:
    """The member's home: the community they chose, else the first they joined."""
    chosen = (
        select(MemberPreference.community_id)
        .where(MemberPreference.member_id == Member.id)
        .correlate(Member)
        .scalar_subquery()
    )
    first = (
        select(Membership.community_id)
        .where(Membership.member_id == Member.id)
        .order_by(Membership.joined_at, Membership.community_id)
        .limit(1)
        .correlate(Member)
        .scalar_subquery()
    )
    return [chosen, first]


def _caller_rows(in_group: bool) -> tuple[FromClause, ColumnElement[bool]]:
    """The joins from the caller's account to their member, community, membership and every
    account of theirs, and the condition that picks the caller's account."""
    candidates = [_LINKED] if in_group else []
    community_id = func.coalesce(*candidates, *_chosen_community(), _DEFAULT)
    joined = (
        Account.__table__.join(Member, Account.member_id == Member.id)
        .join(Community, Community.id == community_id)
        .outerjoin(
            Membership,
            and_(Membership.community_id == Community.id, Membership.member_id == Member.id),
        )
        .join(_ALL_ACCOUNTS, _ALL_ACCOUNTS.c.member_id == Member.id)
    )
    caller = and_(
        Account.platform == bindparam("platform"),
        Account.platform_user_id == bindparam("platform_user_id"),
    )
    return joined, caller


_COLUMNS = (*_MEMBER.columns, *_COMMUNITY.columns, *_MEMBERSHIP.columns, *_ACCOUNT.columns)


def _known(in_group: bool) -> Any:
    joined, caller = _caller_rows(in_group)
    return select(*_COLUMNS).select_from(joined).where(caller).order_by(_ALL_ACCOUNTS.c.id)


_RECORDED = (
    select(func.count().label("recorded"))
    .select_from(
        postgresql_insert(ProcessedUpdate)
        .values(
            platform=bindparam("update_platform"),
            update_key=bindparam("update_key"),
            processed_at=bindparam("processed_at"),
        )
        .on_conflict_do_nothing(index_elements=["platform", "update_key"])
        .returning(literal_column("1"))
        .cte("recorded_update")
    )
    .subquery("recorded")
)
"""One row: 1 when this statement recorded the update, 0 when it was known (PostgreSQL runs
an insert in a ``WITH`` clause exactly once, whether or not the rest reads it)."""


def _known_recording(in_group: bool) -> Any:
    """:func:`_known` that also records the update: the recorded count left-joined to the
    caller's rows, so someone never met still gets one row (the count, and nulls)."""
    joined, caller = _caller_rows(in_group)
    return (
        select(*_COLUMNS, _RECORDED.c.recorded)
        .select_from(_RECORDED.outerjoin(joined, caller))
        .order_by(_ALL_ACCOUNTS.c.id)
    )


KNOWN_IN_GROUP = _known(in_group=True)
KNOWN_IN_PRIVATE = _known(in_group=False)
"""A known member, the community and their membership, one row per account of the member:
one Core statement of plain columns (:func:`_persistent` makes the session's objects)."""

KNOWN_IN_GROUP_RECORDING = _known_recording(in_group=True)
KNOWN_IN_PRIVATE_RECORDING = _known_recording(in_group=False)
"""The same, recording the update (PostgreSQL only): the last column says whether it was new."""

UNKNOWN_IN_GROUP = select(Community).where(Community.id == func.coalesce(_LINKED, _DEFAULT))
UNKNOWN_IN_PRIVATE = select(Community).where(Community.slug == bindparam("default"))
"""Where someone never met acts: the chat's community, else the default one."""


def _rows(session: Session, statement: Any, values: dict[str, Any]) -> list[Any]:
    """Run ``statement`` on the session's connection: checking the connection out (the
    transaction's BEGIN), the statement and its rows in one hand-off to SQLAlchemy's greenlet
    instead of two."""
    return list(session.connection().execute(statement, values).all())


class CallerLookup:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.records_updates = session.get_bind().dialect.name == "postgresql"
        """Whether :meth:`find` can record the request's update in its own statement."""

    async def find(
        self,
        *,
        platform: str,
        platform_user_id: str,
        chat_platform: str,
        chat_id: str | None,
        default: str,
        update_key: str | None = None,
        recorded_at: datetime | None = None,
    ) -> Caller | None:
        """The caller, the community and their membership; ``None`` for someone never met
        (then :meth:`community_for` says where they act). ``chat_id`` is ``None`` in a
        private chat, which acts on the member's home.

        With ``update_key`` (only where :attr:`records_updates`), that update of
        ``platform`` is recorded as handled at ``recorded_at`` in the same statement, in this
        transaction; :class:`AlreadyHandled` when it
        was recorded before (a redelivery, or a twin that committed first: a twin still in
        flight makes this wait for its outcome)."""
        values: dict[str, Any] = {
            "platform": platform,
            "platform_user_id": platform_user_id,
            "default": default,
        }
        if chat_id is not None:
            values.update(chat_platform=chat_platform, chat_id=chat_id)
        if update_key is None:
            statement = KNOWN_IN_PRIVATE if chat_id is None else KNOWN_IN_GROUP
        elif self.records_updates and recorded_at is not None:
            statement = KNOWN_IN_PRIVATE_RECORDING if chat_id is None else KNOWN_IN_GROUP_RECORDING
            values.update(update_platform=platform, update_key=update_key)
            values["processed_at"] = recorded_at
        else:
            raise ValueError("recording an update needs recorded_at and records_updates")
        rows = await self.session.run_sync(_rows, statement, values)
        if update_key is not None:
            if not rows[0][-1]:
                raise AlreadyHandled(update_key)
            if rows[0][_MEMBER.slice][_MEMBER.primary[0]] is None:  # the outer join found no one
                return None
        if not rows:
            return None
        first = rows[0]
        member = self._persistent(_MEMBER, first)
        community = self._persistent(_COMMUNITY, first)
        found = first[_MEMBERSHIP.slice][_MEMBERSHIP.primary[0]] is not None  # an outer join
        membership = self._persistent(_MEMBERSHIP, first) if found else None
        if "accounts" not in instance_dict(member):  # made here, not found in the session
            owned = [self._persistent(_ACCOUNT, row) for row in rows]
            set_committed_value(member, "accounts", owned)
            for account in owned:
                set_committed_value(account, "member", member)
        return Caller(member, community, membership)

    def _persistent(self, shape: _Shape, row: Any) -> Any:
        """The session's object for ``shape``'s part of ``row``, as if the ORM had loaded
        it: made from the plain values and put in the session's identity map as persistent
        and unchanged, so a handler's change to it is flushed as an UPDATE and a relationship
        it never loaded loads lazily on first use. An object the session already holds is
        kept as it is, as the ORM would.

        These are the steps SQLAlchemy's own row loading takes for a new object
        (``sqlalchemy.orm.loading._instance``: the identity key, the session's id, the
        identity map's ``_add_unpresent``, the values written to the instance's dict). Its
        loading cost about as much CPU as the round trip; the public way to attach a made-up
        object (``make_transient_to_detached`` then ``Session.add``, which cascades over
        every relationship of the class) was a quarter of a ``/help``'s CPU in the router on
        PostgreSQL (docs/performance.md). ``tests/storage/test_callers.py`` checks that the
        objects behave as loaded ones do."""
        values = row[shape.slice]
        key = shape.mapper.identity_key_from_primary_key(tuple(values[i] for i in shape.primary))
        session = self.session.sync_session
        held = session.identity_map.get(key)
        if held is not None:
            return held
        instance = shape.mapper.class_manager.new_instance()
        instance_dict(instance).update(zip(shape.keys, values, strict=True))
        state = instance_state(instance)
        state.key = key
        state.session_id = session.hash_key
        session.identity_map._add_unpresent(state, key)
        return instance

    async def community_for(
        self, *, chat_platform: str, chat_id: str | None, default: str
    ) -> Community | None:
        """Where someone with no membership anywhere acts: the chat's community (groups),
        else the default one (``None`` only when the default is missing)."""
        if chat_id is None:
            found = await self.session.scalars(UNKNOWN_IN_PRIVATE, {"default": default})
        else:
            values = {"chat_platform": chat_platform, "chat_id": chat_id, "default": default}
            found = await self.session.scalars(UNKNOWN_IN_GROUP, values)
        return found.first()
