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
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.features.hub import taxonomy
from bot.features.hub.text import fold_phrase, is_stopword, query_variants, terms, words

FIELD_WEIGHTS = {"title": 3.0, "summary": 1.5, "themes": 1.0, "meta": 0.5}
K1 = 1.2
B = 0.75
CONCEPT_BOOST = (K1 + 1) * 0.5
"""A query phrase naming a theme lifts the resources tagged with it, scaled by log(N) and the
number of query words, so the librarian's tags outweigh chance word matches at any size."""
PHRASE_BONUS = (K1 + 1) * 0.5
RERANK_WINDOW = 100
TIEBREAK = 1e-6
"""Below any real score difference: only orders exact ties (newer year, then lower id)."""
TYPE_BOOST = 1.0
FUZZY_PENALTY = 0.8
MAX_PHRASE_WORDS = 6


Posting = tuple[NDArray[np.int32], NDArray[np.float64]]
"""A term's resources (positions in the index) and each one's whole score contribution."""


@dataclass(frozen=True)
class Doc:
    """What the index keeps of a resource (enough to render a card without the database)."""

    id: int
    title: str
    summary: str
    url: str | None
    type: str
    themes: tuple[str, ...]
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    publisher: str
    year: int | None


@dataclass(frozen=True)
class Filters:
    theme: str | None = None
    type: str | None = None
    region: str | None = None
    lang: str | None = None

    def items(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in vars(self).items() if v]


@dataclass
class Hit:
    doc: Doc
    score: float


@dataclass
class Result:
    hits: list[Hit]
    total: int
    corrections: dict[str, str] = field(default_factory=dict)
    """Typed word → the indexed word it was read as (typo tolerance)."""
    suggestion: str | None = None
    """A "did you mean" query when nothing matched."""
    filtered_out: bool = False
    """The words matched resources, but none passes the filters."""


def _doc_language(doc: Doc) -> str:
    for language in doc.languages:
        if language in SUPPORTED_LANGUAGES:
            return language
    return "en"


def _theme_terms(codes: Iterable[str]) -> list[str]:
    """The stems of every label and synonym of ``codes``, in all four languages."""
    found: set[str] = set()
    for code in codes:
        item = taxonomy.term("theme", code)
        if item is None:
            continue
        for language in SUPPORTED_LANGUAGES:
            for phrase in item.phrases(language):
                found.update(terms(phrase, language))
    return sorted(found)


def _meta_text(doc: Doc) -> list[str]:
    parts = [doc.publisher]
    for kind, codes in (("type", (doc.type,)), ("region", doc.regions)):
        for code in codes:
            item = taxonomy.term(kind, code)
            if item is not None:
                parts.extend(item.phrases("en"))
    return terms(" ".join(parts), "en")


class SearchIndex:
    """An immutable index over a list of docs; build a new one when the catalogue changes."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.docs = list(docs)
        self.by_id = {doc.id: i for i, doc in enumerate(self.docs)}
        self._filters: dict[tuple[str, str], set[int]] = {}
        field_terms: list[dict[str, Counter[str]]] = []
        self._titles: list[tuple[str, ...]] = []
        surface: set[str] = set()
        theme_cache: dict[tuple[str, ...], list[str]] = {}
        for i, doc in enumerate(self.docs):
            language = _doc_language(doc)
            themes_key = tuple(sorted(doc.themes))
            if themes_key not in theme_cache:
                theme_cache[themes_key] = _theme_terms(themes_key)
            title_terms = tuple(terms(doc.title, language))
            self._titles.append(title_terms)
            field_terms.append(
                {
                    "title": Counter(title_terms),
                    "summary": Counter(terms(doc.summary, language)),
                    "themes": Counter(theme_cache[themes_key]),
                    "meta": Counter(_meta_text(doc)),
                }
            )
            surface.update(words(doc.title))
            surface.update(words(doc.summary))
            for code in doc.themes:
                self._filters.setdefault(("theme", code), set()).add(i)
            for code in doc.regions:
                self._filters.setdefault(("region", code), set()).add(i)
            for code in doc.languages:
                self._filters.setdefault(("lang", code), set()).add(i)
            self._filters.setdefault(("type", doc.type), set()).add(i)
        for item in taxonomy.THEMES:
            for phrase in item.phrases():
                surface.update(words(phrase))
        self.vocabulary = sorted(w for w in surface if not is_stopword(w))
        self.postings = self._build_postings(field_terms)
        self._filter_ids = {
            key: np.fromiter(sorted(ids), dtype=np.int32, count=len(ids))
            for key, ids in self._filters.items()
        }
        order = sorted(range(len(self.docs)), key=lambda i: (-(docs[i].year or 0), docs[i].id))
        tiebreak = np.zeros(len(self.docs))
        tiebreak[np.asarray(order, dtype=np.int64)] = np.linspace(
            TIEBREAK, 0.0, num=len(self.docs), endpoint=False
        )
        self._tiebreak = tiebreak

    def _build_postings(self, field_terms: list[dict[str, Counter[str]]]) -> dict[str, Posting]:
        count = max(len(field_terms), 1)
        average = {
            name: max(sum(sum(f[name].values()) for f in field_terms) / count, 1.0)
            for name in FIELD_WEIGHTS
        }
        weighted: dict[str, dict[int, float]] = {}
        for i, fields in enumerate(field_terms):
            for name, counter in fields.items():
                length = sum(counter.values())
                norm = FIELD_WEIGHTS[name] / (1 - B + B * length / average[name])
                for term, tf in counter.items():
                    slot = weighted.setdefault(term, {})
                    slot[i] = slot.get(i, 0.0) + tf * norm
        postings: dict[str, Posting] = {}
        for term, per_doc in weighted.items():
            df = len(per_doc)
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            ids = np.fromiter(per_doc.keys(), dtype=np.int32, count=df)
            tfs = np.fromiter(per_doc.values(), dtype=np.float64, count=df)
            postings[term] = (ids, idf * tfs * (K1 + 1) / (tfs + K1))
        return postings

    # querying ----------------------------------------------------------------------

    def _allowed(self, filters: Filters) -> NDArray[np.bool_] | None:
        allowed: NDArray[np.bool_] | None = None
        for kind, code in filters.items():
            mask = np.zeros(len(self.docs), dtype=bool)
            ids = self._filter_ids.get((kind, code))
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
        return any(variant in self.postings for variant in query_variants(word))

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
        boost = CONCEPT_BOOST * math.log(1 + len(self.docs)) * max(len(groups), 1)
        for code in self.concepts(read_words, "theme"):
            ids = self._filter_ids.get(("theme", code))
            if ids is not None:
                scores[ids] += boost
        for code in self.concepts(read_words, "type"):
            ids = self._filter_ids.get(("type", code))
            if ids is not None:
                matched = ids[scores[ids] > 0]
                scores[matched] += TYPE_BOOST
        if not content:
            candidates = np.ones(len(self.docs), dtype=bool) if allowed is None else allowed.copy()
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
        bonus = PHRASE_BONUS * math.log(1 + len(self.docs))
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
            found = [self.postings[v] for v in dict.fromkeys(variants) if v in self.postings]
            if len(found) == 1:
                ids, values = found[0]
                scores[ids] += factor * values
            elif found:
                best = np.zeros(len(self.docs))
                for ids, values in found:
                    best[ids] = np.maximum(best[ids], values)
                scores += factor * best
        return scores

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
