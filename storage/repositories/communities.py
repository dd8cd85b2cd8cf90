"""Communities, roles in them, and the chats linked to them."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.integrity import constraint_errors
from storage.models import Community, CommunityChat, Member, MemberPreference, Membership
from storage.repositories import recipients
from storage.repositories.recipients import Reachable
from storage.statuses import ChatPurpose, MembershipRole


@dataclass(frozen=True)
class PublishedMember:
    """What the public exports show of a member who agreed to publication."""

    id: int
    display_name: str
    role: str | None
    organisation: str | None
    country: str | None
    region: str | None
    languages: list[str]
    expertise: list[str]
    bio: str | None
    membership_role: MembershipRole


class CommunityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_slug(self, slug: str) -> Community | None:
        return (await self.session.scalars(select(Community).where(Community.slug == slug))).first()

    async def names(self, ids: Collection[int]) -> dict[int, str]:
        """Community id → name, in one statement (a global export spans several)."""
        if not ids:
            return {}
        statement = select(Community.id, Community.name).where(Community.id.in_(sorted(ids)))
        return {int(i): name for i, name in (await self.session.execute(statement)).all()}

    async def get(self, community_id: int) -> Community | None:
        return await self.session.get(Community, community_id)

    async def all(self) -> list[Community]:
        return list((await self.session.scalars(select(Community).order_by(Community.id))).all())

    async def ensure(
        self, *, slug: str, name: str, timezone: str, default_language: str, now: datetime
    ) -> Community:
        """The community with this slug, created (or its settings refreshed) from config."""
        community = await self.by_slug(slug)
        if community is None:
            community = Community(slug=slug, created_at=now, name=name, timezone=timezone)
            self.session.add(community)
        community.name = name
        community.timezone = timezone
        community.default_language = default_language
        await self.session.flush()
        return community

    async def for_chat(self, platform: str, chat_id: str) -> Community | None:
        statement = (
            select(Community)
            .join(CommunityChat)
            .where(CommunityChat.platform == platform, CommunityChat.chat_id == chat_id)
        )
        return (await self.session.scalars(statement)).first()

    async def link_chat(
        self,
        community: Community,
        *,
        platform: str,
        chat_id: str,
        purpose: ChatPurpose,
        thread_id: str | None = None,
        title: str | None = None,
    ) -> CommunityChat:
        statement = select(CommunityChat).where(
            CommunityChat.platform == platform,
            CommunityChat.chat_id == chat_id,
            CommunityChat.purpose == purpose,
        )
        chat = (await self.session.scalars(statement)).first()
        if chat is None:
            chat = CommunityChat(platform=platform, chat_id=chat_id, purpose=purpose)
            self.session.add(chat)
        chat.community_id = community.id
        chat.thread_id = thread_id
        chat.title = title
        await self.session.flush()
        return chat

    async def chats(
        self, community: Community, purpose: ChatPurpose | None = None
    ) -> list[CommunityChat]:
        statement = select(CommunityChat).where(CommunityChat.community_id == community.id)
        if purpose is not None:
            statement = statement.where(CommunityChat.purpose == purpose)
        return list((await self.session.scalars(statement.order_by(CommunityChat.id))).all())

    async def linked_on(self, platform: str) -> list[int]:
        """The communities with at least one chat linked on ``platform``, by id."""
        statement = (
            select(CommunityChat.community_id)
            .where(CommunityChat.platform == platform)
            .distinct()
            .order_by(CommunityChat.community_id)
        )
        return list((await self.session.scalars(statement)).all())

    async def membership(self, community: Community, member: Member) -> Membership | None:
        return await self.session.get(Membership, (community.id, member.id))

    async def memberships_of(self, member: Member) -> list[Membership]:
        statement = select(Membership).where(Membership.member_id == member.id)
        return list((await self.session.scalars(statement)).all())

    async def join(self, community: Community, member: Member, now: datetime) -> Membership:
        """Make ``member`` a plain member of ``community``, which they are known not to be
        (the router found no membership): one insert, no lookup first."""
        membership = Membership(
            community_id=community.id,
            member_id=member.id,
            role=MembershipRole.MEMBER,
            joined_at=now,
        )
        self.session.add(membership)
        with constraint_errors():
            await self.session.flush()
        return membership

    async def set_role(
        self, community: Community, member: Member, role: MembershipRole | str, now: datetime
    ) -> Membership:
        """Give ``member`` this role in ``community`` (joining it when needed). A plain role
        name is accepted and checked: the core, which never imports storage at run time, joins
        members with ``"member"``."""
        role = MembershipRole(role)
        membership = await self.membership(community, member)
        if membership is None:
            membership = Membership(
                community_id=community.id, member_id=member.id, role=role, joined_at=now
            )
            self.session.add(membership)
        membership.role = role
        await self.session.flush()
        return membership

    async def members_with_role(self, community: Community, role: MembershipRole) -> list[Member]:
        statement = (
            select(Member)
            .join(Membership)
            .where(Membership.community_id == community.id, Membership.role == role)
            .order_by(Member.display_name)
        )
        return list((await self.session.scalars(statement)).all())

    async def reachable_with_role(
        self, community: Community, role: MembershipRole
    ) -> list[Reachable]:
        """The members with ``role`` who have an account, as plain rows by name: one
        statement whatever their number (a fan-out needs no member objects)."""
        statement = recipients.with_role(community.id, role)
        return recipients.as_rows((await self.session.execute(statement)).all())

    async def first_by_region(
        self, community: Community, role: MembershipRole, regions: Sequence[str], per_region: int
    ) -> list[tuple[str, int, str]]:
        """The first ``per_region`` members with ``role`` of each region by name, as (region,
        id, name): one statement whatever the number (a window function numbers each region's
        members); members of no region in ``regions`` share the region ``""``."""
        region = case((Member.region.in_(list(regions)), Member.region), else_="")
        numbered = (
            select(
                region.label("region"),
                Member.id,
                Member.display_name,
                func.row_number()
                .over(partition_by=region, order_by=(Member.display_name, Member.id))
                .label("place"),
            )
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.community_id == community.id, Membership.role == role)
            .subquery()
        )
        statement = (
            select(numbered.c.region, numbered.c.id, numbered.c.display_name)
            .where(numbered.c.place <= per_region)
            .order_by(numbered.c.region, numbered.c.place)
        )
        return [(r, int(i), n) for r, i, n in (await self.session.execute(statement)).all()]

    async def with_role_rows(
        self, community: Community, role: MembershipRole
    ) -> list[tuple[int, str, str | None]]:
        """Every member with ``role`` as (id, name, region), by name: one statement of plain
        rows (no member objects, no accounts), for a file of any size."""
        statement = (
            select(Member.id, Member.display_name, Member.region)
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.community_id == community.id, Membership.role == role)
            .order_by(Member.display_name, Member.id)
        )
        return [(int(i), n, r) for i, n, r in (await self.session.execute(statement)).all()]

    async def region_counts(
        self, community: Community, role: MembershipRole
    ) -> dict[str | None, int]:
        """How many members of ``community`` have ``role``, per region: one GROUP BY."""
        statement = (
            select(Member.region, func.count())
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.community_id == community.id, Membership.role == role)
            .group_by(Member.region)
        )
        return {region: int(n) for region, n in (await self.session.execute(statement)).all()}

    async def published_members(self, community: Community) -> list[PublishedMember]:
        """Members of ``community`` who agreed to publication, with their role there: one
        statement of plain columns (an export of 30k profiles builds no ORM objects).

        The two JSON lists are read as text and each distinct text parsed once: members share
        a few dozen language and expertise lists, and decoding 60,000 JSON values one by one
        in the driver was half the export's reading time at 30k."""
        statement = (
            select(
                Member.id,
                Member.display_name,
                Member.role,
                Member.organisation,
                Member.country,
                Member.region,
                cast(Member.languages, Text),
                cast(Member.expertise, Text),
                Member.bio,
                Membership.role,
            )
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.community_id == community.id, Member.consent_publish.is_(True))
            .order_by(Member.id)
        )
        rows = (await self.session.execute(statement)).all()
        parsed: dict[str | None, list[str]] = {}

        def as_list(text: str | None) -> list[str]:
            found = parsed.get(text)
            if found is None:
                found = parsed[text] = json.loads(text) if text else []
            return list(found)  # a list of its own: callers may change theirs

        return [
            PublishedMember(i, name, role, organisation, country, region, as_list(languages),
                            as_list(expertise), bio, membership_role)
            for i, name, role, organisation, country, region, languages, expertise, bio,
            membership_role in rows
        ]  # fmt: skip

    async def published_names(self, community: Community) -> dict[int, str]:
        """Member id → name of the members of ``community`` who agreed to publication (the
        recognition export needs only their names, not 30k profiles)."""
        statement = (
            select(Member.id, Member.display_name)
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.community_id == community.id, Member.consent_publish.is_(True))
        )
        return {int(i): name for i, name in (await self.session.execute(statement)).all()}

    async def preferred(self, member: Member) -> Community | None:
        """The community the member chose for their private chats, if any."""
        preference = await self.session.get(MemberPreference, member.id)
        if preference is None or preference.community_id is None:
            return None
        return await self.get(preference.community_id)

    async def prefer(self, member: Member, community: Community) -> None:
        preference = await self.session.get(MemberPreference, member.id)
        if preference is None:
            self.session.add(MemberPreference(member_id=member.id, community_id=community.id))
        else:
            preference.community_id = community.id
        await self.session.flush()
