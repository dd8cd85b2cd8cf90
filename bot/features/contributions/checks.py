"""What the bot checks before a share is queued: duplicates, and the themes it suggests.

A duplicate is caught *before* review, so an admin never reads the same link twice: the same
url once normalized (the hub's identity key: no scheme, no ``www.``, no trailing slash or
fragment), or a near-identical title, in the catalogue or in the queue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from bot.features.hub import taxonomy
from bot.features.hub.records import dedup_key
from bot.features.hub.service import MAX_QUERY_LENGTH
from bot.features.hub.text import fold_phrase
from storage.statuses import ContributionKind
from storage.unit_of_work import UnitOfWork

NEAR_IDENTICAL = 0.92
"""Titles this alike (difflib ratio of the folded words) are the same resource."""
MIN_TITLE_FOR_LIKENESS = 12
"""Short titles ("Toolkit", "Guide") are compared for equality only."""
SUGGESTED_THEMES = 3


@dataclass(frozen=True)
class Duplicate:
    """What a new share repeats: a catalogue resource, or a contribution in the queue."""

    where: str
    """``catalogue`` or ``queue``."""
    id: int
    title: str


def url_key(url: str | None) -> str | None:
    """The hub's identity key of a url (``None`` without one)."""
    return dedup_key(url, "", "") if url else None


@lru_cache(maxsize=100_000)
def title_key(title: str) -> str:
    """A title reduced to its folded words (case, accents, punctuation gone)."""
    return fold_phrase(title)[:500]


def alike(a: str, b: str) -> bool:
    """Near-identical folded titles: equal, or (long enough) at least 92% the same."""
    if not a or not b:
        return False
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_TITLE_FOR_LIKENESS:
        return False
    if abs(len(a) - len(b)) > (1 - NEAR_IDENTICAL) * max(len(a), len(b)) + 1:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.quick_ratio() >= NEAR_IDENTICAL and matcher.ratio() >= NEAR_IDENTICAL


async def find_duplicate(
    uow: UnitOfWork,
    catalogue_titles: list[tuple[int, str]],
    *,
    url: str | None,
    title: str,
    exclude: int | None = None,
) -> Duplicate | None:
    """The first resource or queued share that ``url`` or ``title`` repeats, if any.

    ``catalogue_titles`` are (id, title) of the catalogue (the hub's search index holds them:
    no extra query). ``exclude`` is the contribution being edited.
    """
    key = url_key(url)
    if key is not None:
        resource = await uow.resources.by_key(key)
        if resource is not None:
            return Duplicate("catalogue", resource.id, resource.title)
        queued = await uow.contributions.open_with_url(key, exclude=exclude)
        if queued is not None:
            return Duplicate("queue", queued.id, queued.title)
    folded = title_key(title)
    for resource_id, other in catalogue_titles:
        if alike(folded, title_key(other)):
            return Duplicate("catalogue", resource_id, other)
    for contribution_id, other in await uow.contributions.open_titles(ContributionKind.RESOURCE):
        if contribution_id != exclude and alike(folded, other):
            queued = await uow.contributions.get(contribution_id)
            return Duplicate("queue", contribution_id, queued.title if queued else other)
    return None


def themes_in_text(text: str) -> list[str]:
    """Theme codes whose label or synonym (any of the four languages) the text contains."""
    folded = f" {fold_phrase(text)} "
    found: Counter[str] = Counter()
    for phrase, codes in taxonomy.phrases("theme").items():
        if len(phrase) > 2 and f" {phrase} " in folded:
            for code in codes:
                found[code] += len(phrase)  # a longer phrase is a surer sign
    return [code for code, _weight in found.most_common()]


def suggest_themes(text: str, similar: list[tuple[str, ...]]) -> list[str]:
    """Up to three themes for a share: those its words name (in any of the four languages);
    when they name none, the themes most of the catalogue's most similar resources share
    (``similar``: their theme codes; a theme one neighbour has is only a guess)."""
    chosen = themes_in_text(text[: MAX_QUERY_LENGTH * 4])
    if not chosen:
        counts: Counter[str] = Counter(code for themes in similar for code in set(themes))
        chosen = [code for code, count in counts.most_common() if count >= 2]
    return chosen[:SUGGESTED_THEMES]
