"""What we hold about a member (``/mydata``) and forgetting it (``/forget``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.models import Answer, AuditEntry, Member, OutboxMessage, Question
from storage.statuses import OutboxStatus
from storage.unit_of_work import UnitOfWork

FORMER_MEMBER = "former member"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def member_data(uow: UnitOfWork, member: Member) -> dict[str, Any]:
    """Everything stored about ``member``, as plain JSON-ready data."""
    profile = {
        column.name: _jsonable(getattr(member, column.key)) for column in Member.__table__.columns
    }
    memberships = [
        {"community_id": m.community_id, "role": m.role, "joined_at": _jsonable(m.joined_at)}
        for m in await uow.communities.memberships_of(member)
    ]
    stories = [
        {"id": s.id, "text": s.text, "status": s.status, "created_at": _jsonable(s.created_at)}
        for s in await uow.stories.of_member(member.id)
    ]
    actions = (
        await uow.session.scalars(select(AuditEntry).where(AuditEntry.actor_member_id == member.id))
    ).all()
    pending = (
        await uow.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.member_id == member.id, OutboxMessage.status == OutboxStatus.PENDING
            )
        )
    ).all()
    questions = (
        await uow.session.scalars(select(Question).where(Question.asker_id == member.id))
    ).all()
    answers = (await uow.session.scalars(select(Answer).where(Answer.author_id == member.id))).all()
    return {
        "profile": profile,
        "questions_asked": [
            {
                "id": q.id,
                "title": q.title,
                "body": q.body,
                "anonymous": q.anonymous,
                "status": q.status,
                "created_at": _jsonable(q.created_at),
            }
            for q in questions
        ],
        "answers_given": [
            {"question_id": a.question_id, "body": a.body, "created_at": _jsonable(a.created_at)}
            for a in answers
        ],
        "accounts": [
            {"platform": a.platform, "user_id": a.platform_user_id, "username": a.username}
            for a in member.accounts
        ],
        "memberships": memberships,
        "stories": stories,
        "admin_actions": [
            {"action": e.action, "at": _jsonable(e.at), "detail": e.detail} for e in actions
        ],
        "messages_waiting_to_be_sent": [
            {"kind": o.kind, "due_at": _jsonable(o.due_at)} for o in pending
        ],
    }


def member_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


async def forget_member(uow: UnitOfWork, member: Member) -> None:
    """Delete the member's personal data.

    The member row goes, and with it (by foreign-key cascade) accounts, memberships,
    conversations, stories and messages queued for them. Audit entries keep the action but
    lose the actor (``SET NULL``); entries that named the member as their subject lose that id.
    Answers they gave elsewhere are kept by their own features, attributed to a former member.
    """
    entries = (await uow.session.scalars(select(AuditEntry))).all()
    for entry in entries:
        if entry.detail.get("member_id") == member.id:
            entry.detail = {**entry.detail, "member_id": None}
    await uow.members.delete(member)
