"""Who meets whom in a pairing round: a maximum-weight matching with integer weights.

Pure computation (no database), so the tests and ``bench/matching.py`` call it directly.

The weight of a possible pair, from strongest to weakest reason:

* ``UNMET``: the two have never been paired. It outweighs everything else, so a round never
  repeats a pair while an unmet pair is still possible.
* ``STEER``: the pair belongs to the next factor of a *reference schedule* (the circle method,
  a proven round-robin). A greedy round of "best unmet pairs" can paint itself into a corner
  (after a few rounds the unmet pairs no longer form a perfect matching); steering every round
  to one whole factor of a 1-factorization avoids that: 12 members meet all 11 others in 11
  rounds. The factor the members like least (same region, no shared language) is kept for last.
* a repeat: the longer ago they met, the heavier (``REPEAT_STEP`` per round, capped).
* preferences: different world regions, a shared language, the hours both are awake
  (08:00–21:00 in each one's zone), and a bonus for anyone left out last time.

Big communities: the dense graph is pruned to each member's ``PRUNE_K`` best partners (weights
computed with numpy, row block by row block), and above ``PRUNE_ABOVE`` members are matched in
shuffled chunks, so 1,000 members match in about a second.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    from numpy.typing import NDArray


UNMET = 10_000_000
STEER = 1_000_000
REPEAT_STEP = 10_000
REPEAT_CAP = 50
CROSS_REGION = 2_000
SHARED_LANGUAGE = 1_500
PER_AWAKE_HOUR = 100
LEFT_OUT_BONUS = 3_000
AWAKE_MINUTES = 13 * 60
"""08:00 to 21:00 local."""
DAY = 24 * 60
STEER_LIMIT = 80
"""Above this many members the reference schedule is not computed (pruning takes over)."""
DENSE_UP_TO = 80
"""Up to this many members every possible pair is an edge; above, each keeps its best ones."""
PRUNE_ABOVE = 300
"""Above this many members, matching runs in chunks (:func:`_chunks`)."""
PRUNE_K = 8
CHUNK = 250
SINGLE_CHOICES = 12
"""A member without a partner may join one of this many of their best pairs."""
BLOCK = 512

Pair = frozenset[int]


@dataclass(frozen=True)
class Person:
    """What the matching needs to know of one member."""

    id: int
    region: str | None = None
    languages: frozenset[str] = frozenset()
    utc_offset_minutes: int = 0
    """The member's offset from UTC on the round's day (their zone, else the community's)."""
    left_out_last: bool = False


@dataclass
class Plan:
    """The groups of one round (pairs, and one trio when the count is odd) and who is left out."""

    groups: list[tuple[int, ...]]
    left_out: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class History:
    """Past pairings: ``last_met[pair]`` is the round number (0, 1, 2...) they last met in."""

    last_met: Mapping[Pair, int] = field(default_factory=dict)
    current_round: int = 0

    def since(self, a: int, b: int) -> int | None:
        met = self.last_met.get(frozenset((a, b)))
        return None if met is None else self.current_round - met


def awake_overlap_minutes(offset_a: int, offset_b: int) -> int:
    """Minutes per day when both are between 08:00 and 21:00 in their own zones."""
    import numpy as np

    return int(_overlap(np.asarray(offset_a), np.asarray(offset_b)))


def _overlap(offset_a: NDArray[np.int64], offset_b: NDArray[np.int64]) -> NDArray[np.int64]:
    import numpy as np

    distance = np.abs(offset_a - offset_b) % DAY
    return np.maximum(0, AWAKE_MINUTES - distance) + np.maximum(0, AWAKE_MINUTES - (DAY - distance))


def preference(a: Person, b: Person) -> int:
    """The pair's weight from who they are (regions, languages, waking hours), history aside."""
    weight = awake_overlap_minutes(a.utc_offset_minutes, b.utc_offset_minutes) // 60
    weight *= PER_AWAKE_HOUR
    if a.region != b.region or a.region is None:
        weight += CROSS_REGION
    if a.languages & b.languages:
        weight += SHARED_LANGUAGE
    if a.left_out_last or b.left_out_last:
        weight += LEFT_OUT_BONUS
    return weight


def pair_weight(a: Person, b: Person, history: History) -> int:
    since = history.since(a.id, b.id)
    base = UNMET if since is None else REPEAT_STEP * min(max(since, 1), REPEAT_CAP)
    return base + preference(a, b)


def plan_round(
    people: Sequence[Person],
    history: History,
    *,
    never: Iterable[Pair] = (),
    size: int = 2,
) -> Plan:
    """Group ``people`` for one round. ``never``: pairs that must not meet ("not with")."""
    import networkx as nx

    forbidden = set(never)
    by_id = {person.id: person for person in people}
    pairs: list[tuple[int, ...]] = []
    for chunk in _chunks(list(people), history.current_round):
        graph = _graph(chunk, history, forbidden)
        _steer(graph, chunk, history, forbidden)
        matching = nx.max_weight_matching(graph, maxcardinality=True)
        pairs.extend(tuple(sorted(pair)) for pair in matching)
    matched = {member for pair in pairs for member in pair}
    singles = [person.id for person in people if person.id not in matched]
    if size == 3:
        pairs, singles = _keep_for_trios(pairs, singles, by_id, history)
    groups, left_out = _attach_singles(pairs, singles, by_id, history, forbidden)
    return Plan(groups=sorted(groups), left_out=sorted(left_out))


def _chunks(people: list[Person], seed: int) -> list[list[Person]]:
    """Big communities are matched in shuffled chunks of about ``CHUNK`` members: the blossom
    algorithm grows much faster than linearly, and a chunk of hundreds still offers every
    member plenty of unmet partners from other regions. A new shuffle each round mixes them."""
    if len(people) <= PRUNE_ABOVE:
        return [people]
    shuffled = sorted(people, key=lambda p: p.id)
    random.Random(seed).shuffle(shuffled)
    count = max(1, round(len(shuffled) / CHUNK))
    return [shuffled[i::count] for i in range(count)]


def _graph(people: list[Person], history: History, forbidden: set[Pair]) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(person.id for person in people)
    if len(people) <= DENSE_UP_TO:
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                if frozenset((a.id, b.id)) not in forbidden:
                    graph.add_edge(a.id, b.id, weight=pair_weight(a, b, history))
        return graph
    for a_index, b_index, weight in _pruned_edges(people, history, forbidden):
        graph.add_edge(people[a_index].id, people[b_index].id, weight=weight)
    return graph


def _pruned_edges(
    people: list[Person], history: History, forbidden: set[Pair]
) -> Iterable[tuple[int, int, int]]:
    """Each member's ``PRUNE_K`` heaviest pairs, computed a block of rows at a time."""
    import numpy as np

    count = len(people)
    offsets = np.array([p.utc_offset_minutes for p in people], dtype=np.int64)
    region_codes = {r: i for i, r in enumerate(sorted({p.region or "" for p in people}))}
    regions = np.array([region_codes[p.region or ""] for p in people], dtype=np.int64)
    no_region = np.array([p.region is None for p in people])
    language_codes = {
        lang: i for i, lang in enumerate(sorted({x for p in people for x in p.languages}))
    }
    masks = np.array(
        [sum(1 << language_codes[lang] for lang in p.languages) for p in people], dtype=object
    )
    language_bits = np.array([int(m) & ((1 << 62) - 1) for m in masks], dtype=np.int64)
    left_out = np.array([p.left_out_last for p in people])
    position = {p.id: i for i, p in enumerate(people)}
    met: dict[int, list[tuple[int, int]]] = {}
    for pair, last in history.last_met.items():
        a, b = tuple(pair)
        if a in position and b in position:
            since = history.current_round - last
            met.setdefault(position[a], []).append((position[b], since))
            met.setdefault(position[b], []).append((position[a], since))
    k = min(PRUNE_K, count - 1)
    seen: set[tuple[int, int]] = set()
    for start in range(0, count, BLOCK):
        rows = np.arange(start, min(start + BLOCK, count))
        weights = (_overlap(offsets[rows, None], offsets[None, :]) // 60) * PER_AWAKE_HOUR
        cross = (regions[rows, None] != regions[None, :]) | no_region[rows, None]
        weights += np.where(cross, CROSS_REGION, 0)
        shared = (language_bits[rows, None] & language_bits[None, :]) != 0
        weights += np.where(shared, SHARED_LANGUAGE, 0)
        weights += np.where(left_out[rows, None] | left_out[None, :], LEFT_OUT_BONUS, 0)
        weights += UNMET
        for row_index, row in enumerate(rows):
            weights[row_index, row] = -1
            for other, since in met.get(int(row), ()):
                weights[row_index, other] += REPEAT_STEP * min(max(since, 1), REPEAT_CAP) - UNMET
        best = np.argpartition(-weights, k, axis=1)[:, :k]
        for row_index, row in enumerate(rows):
            for other in best[row_index]:
                a, b = sorted((int(row), int(other)))
                if a == b or (a, b) in seen:
                    continue
                if frozenset((people[a].id, people[b].id)) in forbidden:
                    continue
                seen.add((a, b))
                yield a, b, int(weights[row_index, other])


def circle_schedule(order: Sequence[int]) -> list[list[Pair]]:
    """A 1-factorization of the complete graph on ``order`` (even length), by the circle
    method: factor 0 pairs ``order[0]``–``order[1]``, ``order[2]``–``order[-1]``...; every
    pair appears in exactly one factor."""
    count = len(order)
    if count < 2 or count % 2:
        return []
    fixed, ring = order[0], list(order[1:])
    size = count - 1
    factors = []
    for r in range(size):
        factor = [frozenset((fixed, ring[r]))]
        for k in range(1, count // 2):
            factor.append(frozenset((ring[(r + k) % size], ring[(r - k) % size])))
        factors.append(factor)
    return factors


def _reference_order(people: list[Person]) -> list[int]:
    """An order whose circle factor 0 is the least liked perfect matching (kept for last)."""
    import networkx as nx

    ids = sorted(person.id for person in people)
    by_id = {person.id: person for person in people}
    graph = nx.Graph()
    top = CROSS_REGION + SHARED_LANGUAGE + PER_AWAKE_HOUR * 24 + 1
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            dislike = top - preference(_static(by_id[a]), _static(by_id[b]))
            graph.add_edge(a, b, weight=dislike)
    worst = sorted(tuple(sorted(pair)) for pair in nx.max_weight_matching(graph, True))
    if len(worst) * 2 != len(ids):
        return ids
    first, *rest = worst
    size = len(ids) - 1
    ring: list[int] = [0] * size
    ring[0] = first[1]
    for k, (a, b) in enumerate(rest, start=1):
        ring[k], ring[size - k] = a, b
    return [first[0], *ring]


def _static(person: Person) -> Person:
    return Person(person.id, person.region, person.languages, person.utc_offset_minutes)


def _steer(graph: nx.Graph, people: list[Person], history: History, forbidden: set[Pair]) -> None:
    """Lift the edges of the best factor of the reference schedule that nobody has used yet."""
    if not 2 < len(people) <= STEER_LIMIT:
        return
    members = list(people)
    if len(members) % 2:
        members.append(Person(-1))
    order = _reference_order(members)
    by_id = {person.id: person for person in members}
    best: tuple[int, list[Pair]] | None = None
    for factor in circle_schedule(order):
        real = [pair for pair in factor if -1 not in pair]
        if any(pair in forbidden or pair in history.last_met for pair in real):
            continue
        liking = sum(preference(*(_static(by_id[m]) for m in pair)) for pair in real)
        if best is None or liking > best[0]:
            best = (liking, real)
    if best is not None:
        for pair in best[1]:
            a, b = tuple(pair)
            graph[a][b]["weight"] += STEER


def _keep_for_trios(
    pairs: list[tuple[int, ...]],
    singles: list[int],
    by_id: Mapping[int, Person],
    history: History,
) -> tuple[list[tuple[int, ...]], list[int]]:
    """For groups of three: keep the best third of the members as pairs, free the rest."""
    count = len(pairs) * 2 + len(singles)
    groups = max(1, count // 3)
    ranked = sorted(
        pairs, key=lambda p: pair_weight(by_id[p[0]], by_id[p[1]], history), reverse=True
    )
    kept, freed = ranked[:groups], ranked[groups:]
    return kept, singles + [member for pair in freed for member in pair]


def _attach_singles(
    pairs: list[tuple[int, ...]],
    singles: list[int],
    by_id: Mapping[int, Person],
    history: History,
    forbidden: set[Pair],
) -> tuple[list[tuple[int, ...]], list[int]]:
    """Each single joins a different pair (a trio) by a second matching; else one more pair
    forms, else the single is left out (and favoured next time)."""
    import networkx as nx

    if not singles:
        return pairs, []
    graph = nx.Graph()
    for single in singles:
        choices = []
        for index, pair in enumerate(pairs):
            if any(frozenset((single, m)) in forbidden for m in pair):
                continue
            weight = sum(pair_weight(by_id[single], by_id[m], history) for m in pair)
            choices.append((weight, index))
        for weight, index in heapq.nlargest(SINGLE_CHOICES, choices):
            graph.add_edge(("s", single), ("p", index), weight=weight)
    groups = list(pairs)
    placed: set[int] = set()
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        single, slot = (a, b) if a[0] == "s" else (b, a)
        groups[slot[1]] = (*groups[slot[1]], single[1])
        placed.add(single[1])
    rest = [single for single in singles if single not in placed]
    left_out: list[int] = []
    while rest:
        a = rest.pop(0)
        partner = next((b for b in rest if frozenset((a, b)) not in forbidden), None)
        if partner is None:
            left_out.append(a)
            continue
        rest.remove(partner)
        groups.append((a, partner))
    return [tuple(sorted(g)) for g in groups], left_out
