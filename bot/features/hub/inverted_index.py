"""The hub index's structure: docs at positions, postings per term, filters, kept in place.

:class:`InvertedIndex` is built once from the catalogue and then follows it one doc at a time
(:meth:`~InvertedIndex.upsert`, :meth:`~InvertedIndex.remove`); what a query does with it,
the ranking, is :class:`~bot.features.hub.index.SearchIndex`'s.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc
from bot.features.hub.fields import FIELD_WEIGHTS, doc_fields, doc_language
from bot.features.hub.text import is_stopword, terms, words

B = 0.75
TIEBREAK = 1e-6
"""Below any real score difference: only orders exact ties (newer year, then lower id)."""


Posting = tuple[NDArray[np.int32], NDArray[np.float64]]
"""A term's resources (positions in the index) and each one's whole score contribution."""


class InvertedIndex:
    """An inverted index over a list of docs, updated in place one doc at a time.

    Positions only grow: a removed (or replaced) doc leaves a dead position that every query
    masks out, and an edit is a removal plus an addition at a new position. Postings store each
    doc's length-normalized, field-weighted term frequency; the idf and the BM25 saturation are
    applied at query time from the live document frequencies, so adding or removing a doc
    touches only that doc's terms. Field length averages are those of the last full build (an
    added doc is normalized against them); a fresh build scores exactly as before.
    """

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs: list[Doc] = []
        self.by_id: dict[int, int] = {}
        self.generation = 0
        """Bumped by every change: what a cache aligned with positions (votes) compares."""
        self._alive = np.zeros(0, dtype=bool)
        self._filters: dict[tuple[str, str], set[int]] = {}
        self._filter_ids: dict[tuple[str, str], NDArray[np.int32]] = {}
        self._titles: list[tuple[str, ...]] = []
        self._df: dict[str, int] = {}
        self._tiebreak_cache: NDArray[np.float64] | None = None
        surface: set[str] = set()
        fields = [doc_fields(doc) for doc in docs]
        count = max(len(fields), 1)
        self._average = {
            name: max(sum(sum(f[name].values()) for f in fields) / count, 1.0)
            for name in FIELD_WEIGHTS
        }
        weighted: dict[str, dict[int, float]] = {}
        for doc, these in zip(docs, fields, strict=True):
            position = self._place(doc)
            surface.update(words(doc.title))
            surface.update(words(doc.summary))
            for term, value in self._weighted(these).items():
                weighted.setdefault(term, {})[position] = value
        for item in taxonomy.THEMES:
            for phrase in item.phrases():
                surface.update(words(phrase))
        self.vocabulary = sorted(w for w in surface if not is_stopword(w))
        self.postings: dict[str, Posting] = {}
        for term, per_doc in weighted.items():
            df = len(per_doc)
            self._df[term] = df
            ids = np.fromiter(per_doc.keys(), dtype=np.int32, count=df)
            tfs = np.fromiter(per_doc.values(), dtype=np.float64, count=df)
            self.postings[term] = (ids, tfs)
        self._alive = np.ones(len(self.docs), dtype=bool)

    # building and updating ---------------------------------------------------------

    def _weighted(self, fields: dict[str, Counter[str]]) -> dict[str, float]:
        found: dict[str, float] = {}
        for name, counter in fields.items():
            length = sum(counter.values())
            norm = FIELD_WEIGHTS[name] / (1 - B + B * length / self._average[name])
            for term, tf in counter.items():
                found[term] = found.get(term, 0.0) + tf * norm
        return found

    def _place(self, doc: Doc) -> int:
        """Give ``doc`` the next position, with its filters and title (not its postings)."""
        position = len(self.docs)
        self.docs.append(doc)
        self.by_id[doc.id] = position
        self._titles.append(tuple(terms(doc.title, doc_language(doc))))
        for key in self._filter_keys(doc):
            self._filters.setdefault(key, set()).add(position)
            self._filter_ids.pop(key, None)
        self._tiebreak_cache = None
        return position

    @staticmethod
    def _filter_keys(doc: Doc) -> list[tuple[str, str]]:
        keys = [("theme", code) for code in doc.themes]
        keys += [("region", code) for code in doc.regions]
        keys += [("lang", code) for code in doc.languages]
        keys.append(("type", doc.type))
        return keys

    def remove(self, resource_id: int) -> bool:
        """Take a doc out of every search (its position stays, dead); False if not indexed."""
        position = self.by_id.pop(resource_id, None)
        if position is None:
            return False
        doc = self.docs[position]
        self._alive[position] = False
        for term in self._weighted(doc_fields(doc)):
            self._df[term] = self._df.get(term, 1) - 1
        for key in self._filter_keys(doc):
            self._filters.get(key, set()).discard(position)
            self._filter_ids.pop(key, None)
        self.generation += 1
        return True

    def upsert(self, doc: Doc) -> None:
        """Add ``doc``, replacing the indexed doc with its id if any: touches only its terms."""
        self.remove(doc.id)
        position = self._place(doc)
        self._alive = np.append(self._alive, True)
        for term, value in self._weighted(doc_fields(doc)).items():
            self._df[term] = self._df.get(term, 0) + 1
            found = self.postings.get(term)
            if found is None:
                self.postings[term] = (
                    np.array([position], dtype=np.int32),
                    np.array([value], dtype=np.float64),
                )
            else:
                self.postings[term] = (np.append(found[0], np.int32(position)),
                                       np.append(found[1], value))  # fmt: skip
        for word in set(words(doc.title)) | set(words(doc.summary)):
            if is_stopword(word):
                continue
            at = bisect.bisect_left(self.vocabulary, word)
            if at == len(self.vocabulary) or self.vocabulary[at] != word:
                self.vocabulary.insert(at, word)
        self.generation += 1

    @property
    def size(self) -> int:
        """Live docs (what a search can find)."""
        return len(self.by_id)

    @property
    def dead(self) -> int:
        """Positions left by removed or replaced docs (a full rebuild drops them)."""
        return len(self.docs) - len(self.by_id)

    def live_docs(self) -> list[Doc]:
        return [self.docs[position] for position in self.by_id.values()]

    @property
    def _tiebreak(self) -> NDArray[np.float64]:
        """Exact ties go to the newer year, then the lower id (recomputed after a change)."""
        if self._tiebreak_cache is None or len(self._tiebreak_cache) != len(self.docs):
            count = len(self.docs)
            years = np.fromiter((d.year or 0 for d in self.docs), dtype=np.int64, count=count)
            ids = np.fromiter((d.id for d in self.docs), dtype=np.int64, count=count)
            order = np.lexsort((ids, -years))
            tiebreak = np.zeros(count)
            tiebreak[order] = np.linspace(TIEBREAK, 0.0, num=count, endpoint=False)
            self._tiebreak_cache = tiebreak
        return self._tiebreak_cache

    def _ids(self, key: tuple[str, str]) -> NDArray[np.int32] | None:
        found = self._filter_ids.get(key)
        if found is None:
            positions = self._filters.get(key)
            if not positions:
                return None
            found = np.fromiter(sorted(positions), dtype=np.int32, count=len(positions))
            self._filter_ids[key] = found
        return found
