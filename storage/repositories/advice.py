"""Peer-advice questions, answers, their mirrors and the notices sent about them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from storage.models import AdviceNotice, AdvicePreference, Answer, Member, Question, QuestionMirror
from storage.models_advice_index import AdviceChange
from storage.repositories import recipients
from storage.repositories.change_logs import log_changes, log_version
from storage.repositories.recipients import Reachable
from storage.statuses import MembershipRole, NoticeReason, QuestionStatus

IndexRow = tuple[int, str, str, list[str], QuestionStatus, list[str]]
"""What the search index needs of a question: id, title, body, themes, status, answer bodies."""


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

    async def champions_to_notice(
        self,
        community_id: int,
        question: Question,
        reason: NoticeReason,
        *,
        since: datetime,
        daily_cap: int,
    ) -> list[Reachable]:
        """The community's reachable champions who may be told about ``question`` for
        ``reason``, by name: not its asker, of its region when it has one, notices not turned
        off, not told already for this reason, fewer than ``daily_cap`` notices since
        ``since``. One statement whatever their number; the themes (JSON lists) are left to
        the caller."""
        recent = (
            select(AdviceNotice.member_id, func.count().label("n"))
            .where(AdviceNotice.sent_at >= since)
            .group_by(AdviceNotice.member_id)
            .subquery("recent")
        )
        statement = (
            recipients.with_role(community_id, MembershipRole.CHAMPION)
            .outerjoin(recent, recent.c.member_id == Member.id)
            .where(
                func.coalesce(recent.c.n, 0) < daily_cap,
                ~exists().where(
                    AdvicePreference.member_id == Member.id, AdvicePreference.notices.is_(False)
                ),
                ~exists().where(
                    AdviceNotice.question_id == question.id,
                    AdviceNotice.member_id == Member.id,
                    AdviceNotice.reason == reason,
                ),
            )
        )
        if question.asker_id is not None:
            statement = statement.where(Member.id != question.asker_id)
        if question.region:
            statement = statement.where(Member.region == question.region)
        return recipients.as_rows((await self.session.execute(statement)).all())

    async def add_notices(
        self, question_id: int, member_ids: Sequence[int], reason: NoticeReason, now: datetime
    ) -> None:
        """Record that these members were told: one statement (a multi-row insert)."""
        if member_ids:
            rows = [
                {"question_id": question_id, "member_id": m, "reason": reason, "sent_at": now}
                for m in member_ids
            ]
            await self.session.execute(insert(AdviceNotice), rows)

    async def set_notices(self, member_id: int, on: bool) -> None:
        preference = await self.session.get(AdvicePreference, member_id)
        if preference is None:
            self.session.add(AdvicePreference(member_id=member_id, notices=on))
        else:
            preference.notices = on
        await self.session.flush()

    # the search index's version and rows (issue 17) ---------------------------------

    async def index_version(self) -> int:
        """The questions' version: the newest change's number (one index lookup)."""
        return await log_version(self.session, AdviceChange)

    async def index_changes(
        self, after: int, limit: int, ids: Sequence[int] = ()
    ) -> list[tuple[int, int, int]] | None:
        """(change, community, question) after version ``after`` and those numbered ``ids``
        (gaps seen earlier), oldest first; None when more than ``limit`` changed."""
        return await log_changes(
            self.session, AdviceChange, AdviceChange.question_id, after, limit, ids
        )

    async def index_communities(self) -> list[int]:
        """The communities that have questions (whose indexes are worth building at start)."""
        statement = select(Question.community_id).distinct().order_by(Question.community_id)
        return [int(found) for found in (await self.session.scalars(statement)).all()]

    async def index_rows(
        self, community_id: int, question_ids: Sequence[int] | None = None
    ) -> list[IndexRow]:
        """The community's questions (all but deleted ones, or those of ``question_ids``)
        with their answers' bodies: two statements per 500 ids, or two in all."""
        if question_ids is None:
            return await self._index_rows(community_id, None)
        found: list[IndexRow] = []
        ids = list(question_ids)
        for start in range(0, len(ids), 500):
            found += await self._index_rows(community_id, ids[start : start + 500])
        return found

    async def index_latest(self, community_id: int, limit: int) -> list[IndexRow]:
        """The community's ``limit`` newest questions (not deleted) with their answers' bodies,
        in two statements, as many as a catch-up: what a search answers from before the
        community's whole index is built."""
        return await self._index_rows(community_id, None, latest=limit)

    async def _index_rows(
        self, community_id: int, ids: list[int] | None, *, latest: int | None = None
    ) -> list[IndexRow]:
        wanted = select(Question.id).where(
            Question.community_id == community_id, Question.status != QuestionStatus.DELETED
        )
        if ids is not None:
            wanted = wanted.where(Question.id.in_(ids))
        if latest is not None:
            wanted = wanted.order_by(Question.id.desc()).limit(latest)
        statement = select(
            Question.id, Question.title, Question.body, Question.themes, Question.status
        ).where(Question.id.in_(wanted.scalar_subquery()))
        questions = (await self.session.execute(statement.order_by(Question.id))).all()
        if not questions:
            return []
        answers: dict[int, list[str]] = {int(row[0]): [] for row in questions}
        replies = select(Answer.question_id, Answer.body).where(
            Answer.question_id.in_(wanted.scalar_subquery())
        )
        for question_id, body in (await self.session.execute(replies.order_by(Answer.id))).all():
            answers.setdefault(int(question_id), []).append(body or "")
        return [
            (int(q_id), title or "", body or "", list(themes or ()), QuestionStatus(status),
             answers[int(q_id)])
            for q_id, title, body, themes, status in questions
        ]  # fmt: skip

    async def by_ids(self, question_ids: Sequence[int]) -> list[Question]:
        """Questions by id (what a search shows), in one statement."""
        if not question_ids:
            return []
        statement = select(Question).where(Question.id.in_(list(question_ids)))
        return list((await self.session.scalars(statement)).all())
