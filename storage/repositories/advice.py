"""Peer-advice questions, answers, their mirrors and the notices sent about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from storage.models import AdviceNotice, AdvicePreference, Answer, Member, Question, QuestionMirror
from storage.statuses import NoticeReason, QuestionStatus


class AdviceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: Question | Answer | QuestionMirror | AdviceNotice) -> None:
        self.session.add(row)
        await self.session.flush()

    async def question(self, question_id: int) -> Question | None:
        return await self.session.get(Question, question_id)

    async def answer(self, answer_id: int) -> Answer | None:
        return await self.session.get(Answer, answer_id)

    async def answers(self, question_id: int) -> list[Answer]:
        statement = select(Answer).where(Answer.question_id == question_id).order_by(Answer.id)
        return list((await self.session.scalars(statement)).all())

    async def questions(
        self,
        community_id: int,
        *,
        status: QuestionStatus | None = None,
        asker_id: int | None = None,
        limit: int = 200,
    ) -> list[Question]:
        statement = select(Question).where(
            Question.community_id == community_id, Question.status != QuestionStatus.DELETED
        )
        if status is not None:
            statement = statement.where(Question.status == status)
        if asker_id is not None:
            statement = statement.where(Question.asker_id == asker_id)
        statement = statement.order_by(Question.created_at.desc(), Question.id.desc()).limit(limit)
        return list((await self.session.scalars(statement)).all())

    async def threads(
        self, community_id: int, *, limit: int = 1000
    ) -> list[tuple[Question, list[tuple[Answer, Member | None]]]]:
        """The latest ``limit`` questions (oldest first), each with its answers and their
        authors: two statements whatever the number of questions."""
        questions = list(reversed(await self.questions(community_id, limit=limit)))
        if not questions:
            return []
        latest = (
            select(Question.id)
            .where(Question.community_id == community_id, Question.status != QuestionStatus.DELETED)
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(limit)
        )
        statement = (
            select(Answer, Member)
            .outerjoin(Member, Member.id == Answer.author_id)
            .where(Answer.question_id.in_(latest.scalar_subquery()))
            .options(lazyload(Member.accounts))
            .order_by(Answer.id)
        )
        answers: dict[int, list[tuple[Answer, Member | None]]] = {q.id: [] for q in questions}
        for answer, author in (await self.session.execute(statement)).all():
            if answer.question_id in answers:
                answers[answer.question_id].append((answer, author))
        return [(q, answers[q.id]) for q in questions]

    async def answer_counts(self, question_ids: list[int]) -> dict[int, int]:
        """How many answers each question has, in one statement."""
        if not question_ids:
            return {}
        statement = (
            select(Answer.question_id, func.count())
            .where(Answer.question_id.in_(question_ids))
            .group_by(Answer.question_id)
        )
        rows = (await self.session.execute(statement)).all()
        return {int(question_id): int(n) for question_id, n in rows}

    async def unanswered_since(self, before: datetime) -> list[Question]:
        answered = select(Answer.question_id)
        statement = select(Question).where(
            Question.status == QuestionStatus.OPEN,
            Question.created_at <= before,
            Question.nudged_at.is_(None),
            Question.id.not_in(answered),
        )
        return list((await self.session.scalars(statement.order_by(Question.id))).all())

    async def mirrors(self, question_id: int) -> list[QuestionMirror]:
        statement = select(QuestionMirror).where(QuestionMirror.question_id == question_id)
        return list((await self.session.scalars(statement.order_by(QuestionMirror.id))).all())

    async def mirror_at(
        self, platform: str, chat_id: str, thread_id: str | None, message_id: str | None
    ) -> QuestionMirror | None:
        """The question mirrored in this thread, or whose mirror message this replies to."""
        base = select(QuestionMirror).where(
            QuestionMirror.platform == platform, QuestionMirror.chat_id == chat_id
        )
        if thread_id is not None:
            found = (
                await self.session.scalars(base.where(QuestionMirror.thread_id == thread_id))
            ).first()
            if found is not None:
                return found
        if message_id is not None:
            return (
                await self.session.scalars(base.where(QuestionMirror.message_id == message_id))
            ).first()
        return None

    async def notices_since(self, member_id: int, since: datetime) -> int:
        statement = (
            select(func.count())
            .select_from(AdviceNotice)
            .where(AdviceNotice.member_id == member_id, AdviceNotice.sent_at >= since)
        )
        return int(await self.session.scalar(statement) or 0)

    async def noticed(self, question_id: int, member_id: int, reason: NoticeReason) -> bool:
        statement = select(AdviceNotice.id).where(
            AdviceNotice.question_id == question_id,
            AdviceNotice.member_id == member_id,
            AdviceNotice.reason == reason,
        )
        return (await self.session.scalar(statement)) is not None

    async def wants_notices(self, member_id: int) -> bool:
        preference = await self.session.get(AdvicePreference, member_id)
        return preference is None or preference.notices

    async def set_notices(self, member_id: int, on: bool) -> None:
        preference = await self.session.get(AdvicePreference, member_id)
        if preference is None:
            self.session.add(AdvicePreference(member_id=member_id, notices=on))
        else:
            preference.notices = on
        await self.session.flush()

    async def search_pool(self, community_id: int) -> list[tuple[Question, list[Answer]]]:
        """The latest 5,000 questions with their answers; the answers are selected by a join
        on the same query, not by an IN list of every question id."""
        questions = await self.questions(community_id, limit=5000)
        latest = (
            select(Question.id)
            .where(Question.community_id == community_id, Question.status != QuestionStatus.DELETED)
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(5000)
            .subquery()
        )
        answers: dict[int, list[Answer]] = {q.id: [] for q in questions}
        if questions:
            rows = await self.session.scalars(
                select(Answer).join(latest, latest.c.id == Answer.question_id)
            )
            for answer in rows:
                answers.setdefault(answer.question_id, []).append(answer)
        return [(q, answers[q.id]) for q in questions]
