"""One pairing round as one idempotent unit.

In a single transaction: the round row (its ``key`` is unique), every pairing, and one outbox
row per member keyed ``meet:<round id>:<member id>``. A crash before the commit leaves nothing;
after it, the dispatcher delivers each introduction once. A second start of the same key finds
the round and does nothing, so a sweep running twice or two processes never pair twice.

Who may be paired is decided when the round starts, from the current state: paused (until
their date), left, "not with" and unreachable members (a delivery to them failed: the bot was
blocked) are never matched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from bot.core.messages import MeetingPlace, Platform, Recipient, Reply
from bot.delivery import outbox
from bot.features.networking import cards
from bot.features.networking.matching import History, Pair, Person, plan_round
from storage.models import Community, Member, OutboxMessage
from storage.models_networking import MeetPairing, MeetParticipant, MeetRound
from storage.repositories.networking import Pairable
from storage.repositories.outbox import NewMessage
from storage.statuses import OutboxStatus
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

INTRO_KIND = "meet.intro"
PLACE_KIND = "meet.place"
KINDS_PREFIX = "meet."


def intro_key(round_id: int, member_id: int) -> str:
    return f"meet:{round_id}:{member_id}"


def _offset_minutes(zone: str, now: datetime) -> int:
    offset = now.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


async def record_unreachable(uow: UnitOfWork, community_id: int, now: datetime) -> list[int]:
    """Members whose networking message failed for good (blocked bot): skipped from now on.

    One read (each participant's last failure, by the database) and one update, whatever the
    number of failures; who joined again after their last failure is reachable again."""
    failures = (
        select(OutboxMessage.member_id, func.max(OutboxMessage.created_at).label("last"))
        .where(
            OutboxMessage.community_id == community_id,
            OutboxMessage.kind.startswith(KINDS_PREFIX, autoescape=True),
            OutboxMessage.status == OutboxStatus.FAILED,
            OutboxMessage.member_id.is_not(None),
        )
        .group_by(OutboxMessage.member_id)
        .subquery("failures")
    )
    statement = (
        select(MeetParticipant.member_id)
        .join(failures, failures.c.member_id == MeetParticipant.member_id)
        .where(
            MeetParticipant.community_id == community_id,
            MeetParticipant.unreachable_since.is_(None),
            MeetParticipant.joined_at <= failures.c.last,
        )
        .order_by(MeetParticipant.member_id)
    )
    marked = list((await uow.session.scalars(statement)).all())
    await uow.meet.mark_unreachable(community_id, marked, now)
    return marked


def _recipient(person: Pairable) -> Recipient:
    """Their oldest account, as ``private_recipient`` picks without a preference."""
    account = person.accounts[0]
    return Recipient(Platform(account.platform), account.platform_user_id, private=True)


async def history(uow: UnitOfWork, community_id: int, current: int) -> History:
    groups: dict[tuple[int, int], list[int]] = {}
    for number, group, member_id in await uow.meet.history(community_id):
        groups.setdefault((number, group), []).append(member_id)
    last_met: dict[Pair, int] = {}
    for (number, _), members in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                last_met[frozenset((a, b))] = number
    return History(last_met, current)


def _never(exclusions: Iterable[tuple[int, int]]) -> set[Pair]:
    return {frozenset(pair) for pair in exclusions}


async def start_round(
    uow: UnitOfWork,
    community: Community,
    key: str,
    *,
    now: datetime,
    ends_at: datetime,
    size: int = 2,
    meeting_channel: str | None = None,
) -> MeetRound | None:
    """Pair the community's members for the round ``key``; None if it already exists.

    ``meeting_channel``: a Discord text channel where a group whose members are all on
    Discord gets a private thread (one outbox row per group, ``meet-place:<round>:<group>``).

    As many statements whatever the number of participants (issue 17): who may be paired is
    one read of plain rows, pauses over, "left out" flags and pairings one statement each,
    and each kind of message one insert."""
    if await uow.meet.round_by_key(key) is not None:
        return None
    await record_unreachable(uow, community.id, now)
    await uow.meet.resume_pauses(community.id, now)
    members = {person.id: person for person in await uow.meet.pairable(community.id)}
    people = [
        Person(
            person.id,
            person.region,
            frozenset(person.languages),
            _offset_minutes(cards.member_zone(person, community.timezone), now),
            person.left_out_last,
        )
        for person in members.values()
    ]
    number = await uow.meet.next_number(community.id)
    past = await history(uow, community.id, number)
    never = _never(await uow.meet.exclusions(list(members)))
    plan = plan_round(people, past, never=never, size=size)
    meet_round = await uow.meet.add_round(community.id, key, number, now, ends_at, plan.groups)
    await uow.meet.set_left_out(community.id, plan.left_out)
    places = _places(meet_round, plan.groups, members, meeting_channel)
    await outbox.enqueue(
        uow, _introductions(community, meet_round, plan.groups, members, now, places), now=now
    )
    await outbox.enqueue(uow, _place_rows(community, meet_round, places, members, now), now=now)
    await outbox.enqueue(
        uow, _left_out(community, meet_round, plan.left_out, members, now), now=now
    )
    log.info("meet round %s: %d groups, %d left out", key, len(plan.groups), len(plan.left_out))
    return meet_round


def _introductions(
    community: Community,
    meet_round: MeetRound,
    groups: list[tuple[int, ...]],
    members: dict[int, Pairable],
    now: datetime,
    places: dict[tuple[int, ...], Place] | None = None,
) -> list[NewMessage]:
    """Each member's card: written for the reader (their zone, what they share with the
    others), so rendered once per reader."""
    rows = []
    for group in groups:
        place = (places or {}).get(group)
        for member_id in group:
            reader = members[member_id]
            others = [members[other] for other in group if other != member_id]
            card = cards.introduction(
                reader,
                others,
                community_zone=community.timezone,
                ends_at=meet_round.ends_at,
                now=now,
                default_language=community.default_language,
                place=place.hint.title if place else None,
            )
            rows.append(
                outbox.message(
                    intro_key(meet_round.id, member_id),
                    INTRO_KIND,
                    _recipient(reader),
                    card,
                    now,
                    member_id=member_id,
                    community_id=community.id,
                    round_id=meet_round.id,
                )
            )
    return rows


@dataclass(frozen=True)
class Place:
    """A group's private meeting place: the channel it opens in, the group number, the hint."""

    channel: str
    group_number: int
    hint: MeetingPlace


def _places(
    meet_round: MeetRound,
    groups: list[tuple[int, ...]],
    members: dict[int, Pairable],
    channel: str | None,
) -> dict[tuple[int, ...], Place]:
    """The groups whose members are all reached on Discord get a private thread in
    ``channel``; the others (or all, without a channel) reach each other as before."""
    if not channel:
        return {}
    found = {}
    for number, group in enumerate(groups, start=1):
        people = [members[m] for m in group]
        if any(cards.main_platform(p) != Platform.DISCORD.value for p in people):
            continue
        accounts = [cards.account_on(p, Platform.DISCORD.value) for p in people]
        if None in accounts:
            continue
        title = cards.place_title(people, meet_round.number)
        hint = MeetingPlace(title, tuple(a for a in accounts if a is not None))
        found[group] = Place(channel, number, hint)
    return found


def place_key(round_id: int, group_number: int) -> str:
    return f"meet-place:{round_id}:{group_number}"


def _place_rows(
    community: Community,
    meet_round: MeetRound,
    places: dict[tuple[int, ...], Place],
    members: dict[int, Pairable],
    now: datetime,
) -> list[NewMessage]:
    rows = []
    for group, place in places.items():
        welcome = cards.place_welcome(
            [members[m] for m in group],
            community_zone=community.timezone,
            ends_at=meet_round.ends_at,
            default_language=community.default_language,
        )
        reply = replace(welcome, meeting_place=place.hint)
        rows.append(
            outbox.message(
                place_key(meet_round.id, place.group_number),
                PLACE_KIND,
                Recipient(Platform.DISCORD, place.channel),
                reply,
                now,
                community_id=community.id,
                round_id=meet_round.id,
            )
        )
    return rows


def _left_out(
    community: Community,
    meet_round: MeetRound,
    left_out: list[int],
    members: dict[int, Pairable],
    now: datetime,
) -> list[NewMessage]:
    """The notice to each member left out, rendered once per language."""
    notices: dict[str | None, Reply] = {}
    rows = []
    for member_id in left_out:
        reader = members[member_id]
        notice = notices.get(reader.language)
        if notice is None:
            notice = notices[reader.language] = cards.left_out_notice(
                reader, community.default_language
            )
        rows.append(
            outbox.message(
                intro_key(meet_round.id, member_id),
                "meet.left_out",
                _recipient(reader),
                notice,
                now,
                member_id=member_id,
                community_id=community.id,
            )
        )
    return rows


async def withdraw_pending_intro(uow: UnitOfWork, community_id: int, member_id: int) -> int:
    """A member who pauses or leaves before their card went out does not get it (and the
    private thread of their group is not opened)."""
    latest = await uow.meet.latest_round(community_id)
    if latest is None:
        return 0
    keys = [intro_key(latest.id, member_id)]
    for pairing in await uow.meet.pairings(latest.id):
        if pairing.member_id == member_id:  # nor is their group's private thread opened
            keys.append(place_key(latest.id, pairing.group_number))
    result = await uow.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.idempotency_key.in_(keys),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def current_group(
    uow: UnitOfWork, community_id: int | None, member: Member, now: datetime
) -> tuple[MeetRound, list[Member]] | None:
    """The member's round still running and the others of their group."""
    for meet_round, pairing in await uow.meet.pairings_of(member.id):
        if community_id is not None and meet_round.community_id != community_id:
            continue
        if meet_round.ends_at <= now:
            return None
        return meet_round, await group_of(uow, meet_round, pairing)
    return None


async def group_of(uow: UnitOfWork, meet_round: MeetRound, pairing: MeetPairing) -> list[Member]:
    """The others of ``pairing``'s group in ``meet_round``."""
    others = []
    for other in await uow.meet.pairings(meet_round.id):
        if other.group_number == pairing.group_number and other.member_id != pairing.member_id:
            found = await uow.members.get(other.member_id)
            if found is not None:
                others.append(found)
    return others
