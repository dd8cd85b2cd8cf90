"""Advice messages still queued, rendered again from what is stored now.

Question cards, relayed answers, first-answer notices and solved announcements name people.
When one of them is forgotten (``/forget``), the privacy feature asks for each queued row that
names them how it reads now: with the person gone, the same renderers sign "former member".
Sent rows are not rendered again (they are scrubbed by the privacy feature).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.core.richtext import doc
from bot.features.advice import service as advice
from bot.features.advice.cards import answer_block
from bot.features.advice.commands import feature
from storage.models import Answer, Community, Question
from storage.statuses import QuestionStatus
from storage.unit_of_work import UnitOfWork


def _meta(row: Any, name: str) -> int | None:
    value = row.payload.get("meta", {}).get(name)
    return int(value) if value is not None else None


async def _community(uow: UnitOfWork, row: Any) -> Community | None:
    return await uow.communities.get(row.community_id) if row.community_id else None


async def _question_and_answer(uow: UnitOfWork, row: Any) -> tuple[Question, Answer] | None:
    question_id, answer_id = _meta(row, "question_id"), _meta(row, "answer_id")
    if question_id is None or answer_id is None:
        return None  # queued before rows said which answer they carry
    question = await uow.advice.question(question_id)
    answer = await uow.advice.answer(answer_id)
    return (question, answer) if question and answer else None


@feature.rerender("advice.question")
async def question_post(uow: UnitOfWork, row: Any, reply: Reply) -> Reply | None:
    question_id = _meta(row, "question_id")
    question = await uow.advice.question(question_id) if question_id else None
    community = await _community(uow, row)
    if question is None or community is None:
        return None
    asker = await uow.members.get(question.asker_id) if question.asker_id else None
    translator = Translator(community.default_language)
    return replace(reply, body=advice.question_post_body(question, asker, translator))


@feature.rerender("advice.answer")
async def relayed_answer(uow: UnitOfWork, row: Any, reply: Reply) -> Reply | None:
    found = await _question_and_answer(uow, row)
    community = await _community(uow, row)
    if found is None or community is None:
        return None
    question, answer = found
    author = await uow.members.get(answer.author_id) if answer.author_id else None
    translator = Translator(community.default_language)
    block = answer_block(question, answer, author, translator, best=False)
    return replace(reply, body=doc(block))


@feature.rerender("advice.first_answer")
async def first_answer(uow: UnitOfWork, row: Any, reply: Reply) -> Reply | None:
    found = await _question_and_answer(uow, row)
    community = await _community(uow, row)
    reader = await uow.members.get(row.member_id) if row.member_id else None
    if found is None or community is None or reader is None:
        return None
    question, answer = found
    author = await uow.members.get(answer.author_id) if answer.author_id else None
    translator = Translator(reader.language or community.default_language)
    return replace(reply, body=advice.first_answer_body(question, answer, author, translator))


@feature.rerender("advice.state")
async def state(uow: UnitOfWork, row: Any, reply: Reply) -> Reply | None:
    question_id = _meta(row, "question_id")
    named_state = row.payload.get("meta", {}).get("state")
    question = await uow.advice.question(question_id) if question_id else None
    community = await _community(uow, row)
    if question is None or community is None or named_state not in set(QuestionStatus):
        return None
    translator = Translator(community.default_language)
    body = await advice.state_body(uow, question, QuestionStatus(named_state), translator)
    return replace(reply, body=body)
