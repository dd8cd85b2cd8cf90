"""Who mentors whom: an assignment problem honouring capacity, bans and language.

Each mentor is expanded into as many slots as mentees they can take; a maximum-weight matching
on the bipartite graph (networkx) then gives each request at most one mentor and each slot at
most one mentee. No edge where the two share no language or where a ban (``/meet not`` either
way, or an admin's ban) stands. Pure computation, with the reason of each proposal as data the
reader's language renders ("both speak French; strong on legal quotas; 3 hours of shared
daytime").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.features.networking.matching import awake_overlap_minutes

if TYPE_CHECKING:
    pass


PER_THEME = 1_000
PER_SHARED_HOUR = 50
CROSS_REGION = 100
BASE = 10_000
"""Every allowed pair is worth more than none: as many requests as possible get a mentor."""


@dataclass(frozen=True)
class Mentor:
    id: int
    themes: frozenset[str]
    languages: frozenset[str]
    capacity: int
    region: str | None = None
    utc_offset_minutes: int = 0


@dataclass(frozen=True)
class Mentee:
    request_id: int
    member_id: int
    themes: frozenset[str]
    languages: frozenset[str]
    region: str | None = None
    utc_offset_minutes: int = 0


@dataclass(frozen=True)
class Reason:
    """Why this mentor: a shared language, the themes they are strong on, shared daytime."""

    language: str
    themes: tuple[str, ...]
    shared_hours: int


@dataclass(frozen=True)
class Proposal:
    request_id: int
    mentor_id: int
    reason: Reason


def reason_for(mentor: Mentor, mentee: Mentee) -> Reason | None:
    """Why this mentor for this mentee; None when they share no language."""
    languages = sorted(mentor.languages & mentee.languages)
    if not languages:
        return None
    hours = awake_overlap_minutes(mentor.utc_offset_minutes, mentee.utc_offset_minutes) // 60
    return Reason(languages[0], tuple(sorted(mentor.themes & mentee.themes)), hours)


def fit(mentor: Mentor, mentee: Mentee) -> tuple[int, Reason] | None:
    """How well ``mentor`` fits ``mentee``, by the weights the matching itself uses (so a
    suggestion made before any request ranks as a later proposal would); None when they share
    no language."""
    reason = reason_for(mentor, mentee)
    return None if reason is None else (_weight(mentor, mentee, reason), reason)


def _weight(mentor: Mentor, mentee: Mentee, reason: Reason) -> int:
    weight = BASE + PER_THEME * len(reason.themes) + PER_SHARED_HOUR * reason.shared_hours
    if mentor.region != mentee.region:
        weight += CROSS_REGION
    return weight


def assign(
    mentors: Iterable[Mentor],
    mentees: Iterable[Mentee],
    *,
    bans: Iterable[frozenset[int]] = (),
    taken: Mapping[int, int] | None = None,
    refused: Iterable[tuple[int, int]] = (),
) -> list[Proposal]:
    """The best mentor for each request. ``taken``: mentees a mentor already has (capacity
    left is ``capacity - taken``); ``refused``: (request, mentor) pairs already declined."""
    import networkx as nx

    banned = set(bans)
    declined = set(refused)
    used = dict(taken or {})
    graph = nx.Graph()
    reasons: dict[tuple[int, int], Reason] = {}
    mentor_list = list(mentors)
    for mentee in mentees:
        for mentor in mentor_list:
            if mentor.id == mentee.member_id or (mentee.request_id, mentor.id) in declined:
                continue
            if frozenset((mentor.id, mentee.member_id)) in banned:
                continue
            reason = reason_for(mentor, mentee)
            if reason is None:
                continue
            reasons[(mentee.request_id, mentor.id)] = reason
            weight = _weight(mentor, mentee, reason)
            for slot in range(max(0, mentor.capacity - used.get(mentor.id, 0))):
                graph.add_edge(("r", mentee.request_id), ("m", mentor.id, slot), weight=weight)
    proposals = []
    for a, b in nx.max_weight_matching(graph, maxcardinality=False):
        request, slot = (a, b) if a[0] == "r" else (b, a)
        key = (request[1], slot[1])
        proposals.append(Proposal(request[1], slot[1], reasons[key]))
    return sorted(proposals, key=lambda p: p.request_id)
