"""The in-memory inverted index behind ``/resources``: built from the database, queried fast.

Ranking is BM25F: a term in the title counts more than in the summary, which counts more than
the theme labels (expanded into all four languages, which is what makes cross-lingual queries
work) and the publisher/type/region words. Each posting stores its full score contribution,
computed once at build time, so a query only adds floats. On top of that:

* a query phrase that names a taxonomy theme ("cuotas", "presupuesto sensible al género")
  boosts the resources tagged with that theme;
* a word the index does not know is corrected to the closest indexed word (rapidfuzz), so
  "quotta" still finds quotas; the corrections are returned for a "showing results for" line;
* when nothing matches, a "did you mean" suggestion is computed from the vocabulary.

Scores are accumulated in numpy vectors (one float per resource), so a query over 100k
resources costs a few vector additions rather than a Python loop per posting.

The structure it ranks over (positions, postings, filters, in-place updates) is
:class:`~bot.features.hub.inverted_index.InvertedIndex`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from bot.features.hub import taxonomy
from bot.features.hub.docs import Doc as Doc  # read from here too (tests, bench)
from bot.features.hub.docs import Filters, Hit, Result
from bot.features.hub.inverted_index import InvertedIndex, Posting
from bot.features.hub.text import fold_phrase, is_stopword, query_variants, words

K1 = 1.2
CONCEPT_BOOST = (K1 + 1) * 0.5
"""A query phrase naming a theme lifts the resources tagged with it, scaled by log(N) and the
number of query words, so the librarian's tags outweigh chance word matches at any size."""
PHRASE_BONUS = (K1 + 1) * 0.5
RERANK_WINDOW = 100
TYPE_BOOST = 1.0
FUZZY_PENALTY = 0.8
MAX_PHRASE_WORDS = 6


class SearchIndex(InvertedIndex):
    """Ranks an :class:`InvertedIndex`'s docs for a query: BM25F over the live postings, the
    taxonomy's theme and type boosts, fuzzy corrections and the title phrase bonus."""

    def _allowed(self, filters: Filters) -> NDArray[np.bool_] | None:
        allowed: NDArray[np.bool_] | None = None
        for kind, code in filters.items():
            mask = np.zeros(len(self.docs), dtype=bool)
            ids = self._ids((kind, code))
            if ids is not None:
                mask[ids] = True
            allowed = mask if allowed is None else allowed & mask
        return allowed

    def _correct(self, word: str, cutoff: float) -> str | None:
        if len(word) < 4 or not self.vocabulary:
            return None
        found = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
        return str(found[0]) if found else None

    def _known(self, word: str) -> bool:
        return any(self._df.get(variant, 0) > 0 for variant in query_variants(word))

    def _expand_prefix(self, word: str) -> list[str]:
        start = bisect.bisect_left(self.vocabulary, word)
        found = []
        for candidate in self.vocabulary[start : start + 50]:
            if not candidate.startswith(word):
                break
            found.append(candidate)
        return found[:10]

    @staticmethod
    def concepts(query_words: Sequence[str], kind: str) -> list[str]:
        """Codes of ``kind`` named by a phrase of consecutive query words (longest first)."""
        known = taxonomy.phrases(kind)
        codes: list[str] = []
        n = len(query_words)
        for size in range(min(n, MAX_PHRASE_WORDS), 0, -1):
            for start in range(n - size + 1):
                phrase = " ".join(query_words[start : start + size])
                for code in known.get(phrase, ()):
                    if code not in codes:
                        codes.append(code)
        return codes

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        *,
        limit: int = 5,
        offset: int = 0,
        prefix: bool = False,
        weights: NDArray[np.float64] | None = None,
    ) -> Result:
        """Rank the docs for ``query`` within ``filters``; ``prefix`` completes the last word.

        ``weights`` (one factor per doc, near 1) scale the scores: members' votes, lightly.
        """
        filters = filters or Filters()
        allowed = self._allowed(filters)
        all_words = words(query)
        content = [w for w in all_words if not is_stopword(w)]
        corrections: dict[str, str] = {}
        groups: list[tuple[list[str], float]] = []
        for index, word in enumerate(content):
            if prefix and index == len(content) - 1 and not self._known(word):
                expanded = self._expand_prefix(word)
                if expanded:
                    variants = [v for w in expanded for v in query_variants(w)]
                    groups.append((variants, 1.0))
                    continue
            if self._known(word):
                groups.append((list(query_variants(word)), 1.0))
                continue
            fixed = self._correct(word, 80.0)
            if fixed:
                corrections[word] = fixed
                groups.append((list(query_variants(fixed)), FUZZY_PENALTY))
        read_words = [corrections.get(w, w) for w in all_words]
        scores = self._score(groups)
        scores[~self._alive] = 0.0
        boost = CONCEPT_BOOST * math.log(1 + self.size) * max(len(groups), 1)
        for code in self.concepts(read_words, "theme"):
            ids = self._ids(("theme", code))
            if ids is not None:
                scores[ids] += boost
        for code in self.concepts(read_words, "type"):
            ids = self._ids(("type", code))
            if ids is not None:
                matched = ids[scores[ids] > 0]
                scores[matched] += TYPE_BOOST
        if not content:
            candidates = self._alive.copy() if allowed is None else allowed & self._alive
        else:
            candidates = scores > 0
            if allowed is not None:
                matched_any = bool(candidates.any())
                candidates &= allowed
                if matched_any and not candidates.any():
                    return Result(hits=[], total=0, corrections=corrections, filtered_out=True)
        total = int(candidates.sum())
        if weights is not None:
            scores = scores * weights
        hits = self._top(scores, candidates, offset, limit, groups)
        result = Result(hits=hits, total=total, corrections=corrections)
        if not total and content:
            result.suggestion = self.did_you_mean(content)
        return result

    def _top(
        self,
        scores: NDArray[np.float64],
        candidates: NDArray[np.bool_],
        offset: int,
        limit: int,
        groups: Sequence[tuple[list[str], float]] = (),
    ) -> list[Hit]:
        """The ``offset``..``offset+limit`` best candidates, after the phrase bonus.

        The best ``RERANK_WINDOW`` more than asked are re-ranked with a bonus for each pair of
        consecutive query words found together in the title, so the resource named by the query
        ("women's representation in local government") beats resources that merely share its words.
        Exact ties go to the newer resource, then the older id.
        """
        ids = np.flatnonzero(candidates)
        if not len(ids) or offset >= len(ids):
            return []
        keys = scores[ids] + self._tiebreak[ids]
        window = min(offset + limit + RERANK_WINDOW, len(ids))
        if window < len(ids):
            part = np.argpartition(-keys, window - 1)[:window]
        else:
            part = np.arange(len(ids))
        pairs = [(set(groups[k][0]), set(groups[k + 1][0])) for k in range(len(groups) - 1)]
        bonus = PHRASE_BONUS * math.log(1 + self.size)
        ranked: list[tuple[float, int]] = []
        for j in part:
            position = int(ids[j])
            extra = bonus * self._pairs_in_title(position, pairs) if pairs else 0.0
            ranked.append((float(keys[j]) + extra, position))
        ranked.sort(key=lambda item: -item[0])
        return [
            Hit(self.docs[position], round(key, 4))
            for key, position in ranked[offset : offset + limit]
        ]

    def _pairs_in_title(self, position: int, pairs: list[tuple[set[str], set[str]]]) -> int:
        title = self._titles[position]
        found = 0
        for first, second in pairs:
            if any(title[k] in first and title[k + 1] in second for k in range(len(title) - 1)):
                found += 1
        return found

    def _score(self, groups: list[tuple[list[str], float]]) -> NDArray[np.float64]:
        """BM25F sums over the query's words; a word's variants count once, at their best."""
        scores = np.zeros(len(self.docs))
        for variants, factor in groups:
            found = [self._contribution(v) for v in dict.fromkeys(variants) if v in self.postings]
            if len(found) == 1:
                ids, values = found[0]
                scores[ids] += factor * values
            elif found:
                best = np.zeros(len(self.docs))
                for ids, values in found:
                    best[ids] = np.maximum(best[ids], values)
                scores += factor * best
        return scores

    def _contribution(self, term: str) -> Posting:
        """A term's postings with their whole score: idf (live counts) times saturated tf."""
        ids, tfs = self.postings[term]
        df = max(self._df.get(term, 0), 0)
        count = max(self.size, 1)
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        return ids, idf * tfs * (K1 + 1) / (tfs + K1)

    def did_you_mean(self, content: Sequence[str]) -> str | None:
        """The query with each unknown word replaced by its nearest indexed word, if any."""
        changed = False
        fixed: list[str] = []
        for word in content:
            if self._known(word):
                fixed.append(word)
                continue
            nearest = self._correct(word, 60.0)
            if nearest:
                changed = True
            fixed.append(nearest or word)
        if changed:
            return " ".join(fixed)
        if all(self._known(word) for word in content):
            return None
        labels = {fold_phrase(t.label): t.label for t in taxonomy.THEMES}
        found = process.extractOne(" ".join(content), list(labels), scorer=fuzz.WRatio)
        return labels[found[0]] if found and found[1] >= 60 else None
