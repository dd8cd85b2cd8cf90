"""``/search_advice``: past questions ranked by the words of a query (typo-tolerant prefixes)."""

from __future__ import annotations

import re

from bot.core.errors import UsageError
from bot.core.vocab import THEMES, label
from bot.features.advice.parsing import fold
from storage.models import Community, Question
from storage.statuses import QuestionStatus
from storage.unit_of_work import UnitOfWork


def _terms(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", fold(text)) if len(word) > 2]


async def search(
    uow: UnitOfWork, community: Community, query: str, limit: int = 5
) -> list[tuple[float, Question, int]]:
    """Past questions ranked by the query's words: title counts most, then body, then answers."""
    wanted = set(_terms(query))
    if not wanted:
        raise UsageError("Give me a few words to search for.")
    results = []
    for question, answers in await uow.advice.search_pool(community.id):
        title = _terms(question.title)
        body = _terms(question.body)
        replies = [t for a in answers for t in _terms(a.body)]
        themes = [
            t for code in question.themes for t in _terms(code + " " + (label(THEMES, code) or ""))
        ]
        score = 0.0
        for term in wanted:
            score += 3 * _hits(term, title) + 1.5 * _hits(term, themes) + _hits(term, body)
            score += 0.7 * _hits(term, replies)
        if score > 0:
            score += 0.5 if question.status == QuestionStatus.SOLVED else 0
            results.append((score, question, len(answers)))
    results.sort(key=lambda item: (-item[0], -item[1].id))
    return results[:limit]


def _hits(term: str, words: list[str]) -> float:
    exact = sum(1 for word in words if word == term)
    if exact:
        return min(exact, 3)
    return 0.5 if any(word.startswith(term[:5]) for word in words if len(term) >= 5) else 0.0
