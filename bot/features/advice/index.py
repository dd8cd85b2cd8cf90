"""The inverted index behind ``/search_advice``: one per community, updated one question at a time.

It scores exactly as the former per-query scan did (``tests/features/advice/test_search_index.py``
compares the two on a generated corpus): for each query word, a title hit counts 3, a theme hit
1.5, a body hit 1 and an answer hit 0.7; a hit is the word's count in the field, at most 3, else
0.5 when a word of the field shares its first five letters (the typo-tolerant prefix); a solved
question gets 0.5 more; ties go to the newer question. The hub's BM25F index
(:mod:`bot.features.hub.index`) ranks resources differently (idf, stemming, phrase boosts), so
this one keeps the same layout (positions that only grow, a live mask, numpy postings, an edit
as a removal plus an addition) with the advice scoring.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from bot.core.vocab import THEMES, label
from bot.features.advice.parsing import fold

FIELD_WEIGHTS = {"title": 3.0, "themes": 1.5, "body": 1.0, "replies": 0.7}
MOST_HITS = 3
"""A word counted more than three times in a field counts three times."""
PREFIX = 5
"""A query word of five letters or more also matches the words that share its first five."""
PREFIX_HIT = 0.5
SOLVED_BONUS = 0.5


@cache
def _fold_char(char: str) -> str:
    return fold(char)


def _fold(text: str) -> str:
    """:func:`fold`, character by character from a cache (the same result: NFKD decomposes each
    character alone, and only the combining marks it would reorder are dropped); ASCII text
    only needs its case folded. A full build folds every question and answer: 5x faster."""
    if text.isascii():
        return text.casefold()
    return "".join(map(_fold_char, text))


_WORD = re.compile(r"\w+")


def terms(text: str) -> list[str]:
    """The searchable words of ``text``: folded (case, accents), three letters or more."""
    return [word for word in _WORD.findall(_fold(text)) if len(word) > 2]


@dataclass(frozen=True)
class QuestionDoc:
    """What the index holds of a question: its words, and whether it is solved."""

    id: int
    title: str
    body: str
    themes: tuple[str, ...]
    solved: bool
    answers: tuple[str, ...] = ()


def doc_fields(doc: QuestionDoc) -> dict[str, list[str]]:
    themes = [t for code in doc.themes for t in terms(code + " " + (label(THEMES, code) or ""))]
    return {
        "title": terms(doc.title),
        "themes": themes,
        "body": terms(doc.body),
        "replies": [t for answer in doc.answers for t in terms(answer)],
    }


Exact = dict[str, tuple[NDArray[np.int32], NDArray[np.float64]]]
"""A field's words: the positions holding each, and its (capped) count at each."""
Prefixes = dict[str, NDArray[np.int32]]
"""A field's five-letter prefixes: the positions holding a word that starts with each."""


class AdviceIndex:
    """The questions of one community, searchable without reading them again."""

    def __init__(self, docs: Iterable[QuestionDoc]) -> None:
        self.ids: list[int] = []
        self.by_id: dict[int, int] = {}
        exact: dict[str, dict[str, tuple[list[int], list[float]]]] = {f: {} for f in FIELD_WEIGHTS}
        prefixes: dict[str, dict[str, list[int]]] = {f: {} for f in FIELD_WEIGHTS}
        solved: list[bool] = []
        for doc in docs:
            position = self._place(doc)
            solved.append(doc.solved)
            for name, (counts, starts) in _postings(doc).items():
                for term, count in counts.items():
                    entry = exact[name].setdefault(term, ([], []))
                    entry[0].append(position)
                    entry[1].append(count)
                for start in starts:
                    prefixes[name].setdefault(start, []).append(position)
        self._exact: dict[str, Exact] = {
            name: {t: (np.array(p, dtype=np.int32), np.array(c)) for t, (p, c) in found.items()}
            for name, found in exact.items()
        }
        self._prefixes: dict[str, Prefixes] = {
            name: {s: np.array(p, dtype=np.int32) for s, p in found.items()}
            for name, found in prefixes.items()
        }
        self._alive = np.ones(len(self.ids), dtype=bool)
        self._solved = np.array(solved, dtype=bool)

    def _place(self, doc: QuestionDoc) -> int:
        position = len(self.ids)
        self.ids.append(doc.id)
        self.by_id[doc.id] = position
        return position

    # updating ------------------------------------------------------------------------

    def remove(self, question_id: int) -> bool:
        """Take a question out of every search (its position stays, dead)."""
        position = self.by_id.pop(question_id, None)
        if position is None:
            return False
        self._alive[position] = False
        return True

    def upsert(self, doc: QuestionDoc) -> None:
        """Add ``doc``, replacing the indexed question with its id: touches only its words."""
        self.remove(doc.id)
        position = self._place(doc)
        self._alive = np.append(self._alive, True)
        self._solved = np.append(self._solved, doc.solved)
        at = np.array([position], dtype=np.int32)
        for name, (counts, starts) in _postings(doc).items():
            exact = self._exact[name]
            for term, count in counts.items():
                found = exact.get(term)
                exact[term] = (
                    (at.copy(), np.array([count]))
                    if found is None
                    else (np.append(found[0], at), np.append(found[1], count))
                )
            prefixes = self._prefixes[name]
            for start in starts:
                found_at = prefixes.get(start)
                prefixes[start] = at.copy() if found_at is None else np.append(found_at, at)

    @property
    def size(self) -> int:
        """Live questions (what a search can find)."""
        return len(self.by_id)

    @property
    def dead(self) -> int:
        """Positions left by removed or replaced questions (a rebuild drops them)."""
        return len(self.ids) - len(self.by_id)

    # querying ------------------------------------------------------------------------

    def _hits(self, name: str, term: str, count: int) -> NDArray[np.float64]:
        hits = np.zeros(count)
        found = self._exact[name].get(term)
        if found is not None:
            hits[found[0]] = found[1]
        if len(term) < PREFIX:
            return hits
        near = self._prefixes[name].get(term[:PREFIX])
        if near is None:
            return hits
        partial = np.zeros(count)
        partial[near] = PREFIX_HIT
        return np.where(hits > 0, hits, partial)

    def search(self, wanted: Iterable[str], limit: int = 5) -> list[tuple[float, int]]:
        """The best ``limit`` (score, question id), best first; ties to the newer question."""
        count = len(self.ids)
        scores = np.zeros(count)
        w = FIELD_WEIGHTS
        for term in wanted:  # the same sums, in the same order, as the former scan
            title, themes = self._hits("title", term, count), self._hits("themes", term, count)
            body, replies = self._hits("body", term, count), self._hits("replies", term, count)
            scores += w["title"] * title + w["themes"] * themes + w["body"] * body
            scores += w["replies"] * replies
        candidates = np.flatnonzero((scores > 0) & self._alive)
        if not len(candidates):
            return []
        found = scores[candidates] + np.where(self._solved[candidates], SOLVED_BONUS, 0.0)
        ids = np.asarray(self.ids, dtype=np.int64)[candidates]
        order = np.lexsort((-ids, -found))[:limit]
        return [(float(found[k]), int(ids[k])) for k in order]


def _postings(doc: QuestionDoc) -> dict[str, tuple[Counter[str], set[str]]]:
    """Each field's capped word counts and the five-letter prefixes of its long words."""
    found: dict[str, tuple[Counter[str], set[str]]] = {}
    for name, words in doc_fields(doc).items():
        counts = Counter(words)
        for term, n in counts.items():
            counts[term] = min(n, MOST_HITS)
        found[name] = (counts, {word[:PREFIX] for word in words if len(word) >= PREFIX})
    return found


def build(docs: Sequence[QuestionDoc]) -> AdviceIndex:
    """A whole index (run in a worker thread: it takes seconds at tens of thousands)."""
    return AdviceIndex(docs)
