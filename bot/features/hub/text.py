"""Text normalization for the hub search: folding, tokenizing, stemming in en/fr/es/ar.

Why each step: case and diacritics are folded so "genero" finds "género"; Arabic letter
variants (alef forms, ta marbuta, alef maqsura) and short vowels are unified the same way;
stemming (Snowball, one stemmer per language) lets "budgeting" meet "budget" and
"presupuestos" meet "presupuesto". Stopwords are dropped so "al" or "the" never decide a match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer

STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}
ARABIC_RANGE = re.compile(r"[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None}
)


def fold(text: str) -> str:
    """Lowercase, strip diacritics and unify Arabic letter variants."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_ARABIC_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_FOLD)


_STOPWORD_TEXT = """
a an and are as at be by for from in into is it its of on or the to with without our your
how what which who this that these those their there about
au aux avec dans de des du en et la le les leur par pour sur un une d l qu que qui est
al con del el en las los para por su sus una uno y o que como sobre
في من على إلى الى عن مع و ما هذا هذه التي الذي او أو ل ب
"""
STOPWORDS = frozenset(fold(word) for word in _STOPWORD_TEXT.split())
"""Words too common to decide a match, in the four languages (folded)."""


def fold_phrase(text: str) -> str:
    """A phrase folded and reduced to its words, for exact phrase lookups."""
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The folded words of ``text`` (apostrophes split French elisions: l'égalité)."""
    found: list[str] = []
    for match in _WORD.findall(fold(text)):
        found.extend(part for part in re.split(r"['’]", match) if part)
    return found


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMER_NAMES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of a folded word in ``language`` (Arabic script always uses Arabic)."""
    if ARABIC_RANGE.search(word):
        language = "ar"
    elif language == "ar" or language not in STEMMER_NAMES:
        language = "en"
    return fold(_stemmer(language).stemWord(word)) or word


def is_stopword(word: str) -> bool:
    return word in STOPWORDS or len(word) == 1


def terms(text: str, language: str) -> list[str]:
    """Index terms of a document field: stemmed in the document's language, no stopwords."""
    return [stem(word, language) for word in words(text) if not is_stopword(word)]


def query_variants(word: str) -> tuple[str, ...]:
    """Every stem a query word may have: the query's language is not known, so try all."""
    if ARABIC_RANGE.search(word):
        return (stem(word, "ar"), word)
    return tuple(dict.fromkeys((stem(word, "en"), stem(word, "fr"), stem(word, "es"), word)))
