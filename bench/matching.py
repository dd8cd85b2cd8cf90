"""Time and quality of the pairing rounds for 12, 1,000 and 10,000 members.

Members get a random region (six), two of four languages and a zone offset; each size plays
``--rounds`` rounds with the real ``plan_round`` and history. Printed per size: the time of the
slowest round, the repeat rate (pairs met before / pairs), the cross-region share, the share of
pairs with a shared language, and members left out.

    python bench/matching.py [--sizes 12 1000 10000] [--rounds 3] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.features.networking.matching import History, Person, plan_round

REGIONS = ("latin_america", "west_central_africa", "east_southern_africa", "mena",
           "asia_pacific", "north_america_europe")  # fmt: skip
LANGUAGES = ("en", "fr", "es", "ar")


def people(count: int, rng: random.Random) -> list[Person]:
    if count == 12:  # the CIB group: two champions per region
        return [Person(i, REGIONS[i // 2], frozenset({"en"}), (i // 2) * 120 - 300)
                for i in range(12)]  # fmt: skip
    return [
        Person(i, rng.choice(REGIONS), frozenset(rng.sample(LANGUAGES, 2)),
               rng.choice(range(-480, 600, 60)))
        for i in range(count)
    ]  # fmt: skip


def run(count: int, rounds: int, rng: random.Random) -> None:
    members = people(count, rng)
    by_id = {p.id: p for p in members}
    last_met: dict[frozenset[int], int] = {}
    slowest = 0.0
    pairs = repeats = cross = shared = left_out = 0
    for number in range(rounds):
        started = time.perf_counter()
        plan = plan_round(members, History(dict(last_met), number))
        slowest = max(slowest, time.perf_counter() - started)
        left_out += len(plan.left_out)
        for group in plan.groups:
            for a, b in combinations(group, 2):
                pair = frozenset((a, b))
                pairs += 1
                repeats += pair in last_met
                cross += by_id[a].region != by_id[b].region
                shared += bool(by_id[a].languages & by_id[b].languages)
                last_met[pair] = number
    print(
        f"{count:>6} members, {rounds} rounds: slowest round {slowest:6.2f} s | "
        f"repeat rate {repeats / pairs:6.1%} | cross-region {cross / pairs:6.1%} | "
        f"shared language {shared / pairs:6.1%} | left out {left_out}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[12, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for size in args.sizes:
        run(size, 11 if size == 12 else args.rounds, rng)


if __name__ == "__main__":
    main()
