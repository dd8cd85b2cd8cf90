"""Peer advice: questions mirrored to every advice place, answers relayed between them.

Everything that leaves the request (a question posted to a Telegram forum and a Discord forum,
an answer relayed, a private notice to a champion) goes through the durable outbox with an
idempotency key, in the same transaction as the question or answer itself: a redelivered
update or a crash never posts twice, and nothing is lost.

Anonymous questions keep their asker for moderation only: no card, relay, notice, list or
search result names them.

The rest of the feature, one job per module: ``parsing`` (what a member types), ``cards`` (how
a question reads), ``search``, ``nudges`` (unanswered questions), ``commands`` and
``moderation`` (the commands).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.errors import NotFoundError, PermissionDeniedError
from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Platform, Recipient, Reply, ThreadState, ThreadStatus
from bot.core.richtext import Document, bold, doc, italic, line
from bot.delivery import outbox
from bot.features.advice.cards import answer_block, label_of, question_card
from bot.features.advice.parsing import question_id
from bot.features.profiles.lookup import private_recipient, reachable_recipient
from storage.models import Answer, Community, Member, Question, QuestionMirror
from storage.repositories.recipients import Reachable
from storage.statuses import ChatPurpose, NoticeReason, QuestionStatus
from storage.unit_of_work import UnitOfWork

ADVICE_PURPOSE = ChatPurpose.ADVICE
ANSWER_HINT = N_(
    "To answer, write in this thread or reply to this message: your answer reaches every "
    "advice group, on Telegram and on Discord."
)


# delivery ----------------------------------------------------------------------------------------


def _reader(member: Member, community: Community) -> Translator:
    return Translator(member.language or community.default_language)


def question_post_body(
    question: Question, asker: Member | None, translator: Translator
) -> Document:
    """The card posted in an advice place, with how to answer."""
    card = question_card(question, asker, translator)
    return doc(*card.blocks, line(italic(translator.gettext(ANSWER_HINT))))


async def post_question(
    uow: UnitOfWork, community: Community, question: Question, now: datetime
) -> int:
    """Queue the question for every advice place of the community on every platform."""
    asker = await uow.members.get(question.asker_id) if question.asker_id else None
    translator = Translator(community.default_language)
    messages = []
    for chat in await uow.communities.chats(community, ADVICE_PURPOSE):
        reply = Reply(
            body=question_post_body(question, asker, translator),
            rtl=translator.rtl,
            buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
            open_thread=f"{label_of(question)} · {question.title}"[:100],
        )
        recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
        messages.append(
            outbox.message(
                f"advice:q{question.id}:post:{chat.platform}:{chat.chat_id}",
                "advice.question",
                recipient,
                reply,
                now,
                community_id=community.id,
                question_id=question.id,
            )
        )
    return await outbox.enqueue(uow, messages, now=now)


async def notify_matching_champions(
    uow: UnitOfWork,
    community: Community,
    question: Question,
    *,
    now: datetime,
    daily_cap: int,
    reason: NoticeReason = NoticeReason.NEW,
) -> list[Reachable]:
    """Tell champions whose expertise (and region, when given) matches, within the daily cap.

    Who may be told (not the asker, notices on, not told already, under the cap, reachable) is
    one read of plain rows; the notice is rendered once per language, and queued and recorded
    in one statement each, whatever the number of champions."""
    candidates = await uow.advice.champions_to_notice(
        community.id, question, reason, since=now - timedelta(days=1), daily_cap=daily_cap
    )
    themes = set(question.themes or ())
    told = [c for c in candidates if not themes or themes & set(c.expertise)]
    intro = (
        N_("A new question matches your expertise. Can you help?")
        if reason == NoticeReason.NEW
        else N_("This question is still waiting for an answer. Can you help?")
    )
    replies: dict[str, Reply] = {}

    def notice(language: str) -> Reply:
        reply = replies.get(language)
        if reply is None:
            translator = Translator(language)
            reply = replies[language] = Reply(
                body=doc(
                    line(bold(translator.gettext(intro))),
                    *question_card(question, None, translator).blocks[:-1],
                ),
                buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
                rtl=translator.rtl,
            )
        return reply

    messages = [
        outbox.message(
            f"advice:q{question.id}:notice:{reason}:{champion.member_id}",
            "advice.notice",
            reachable_recipient(champion),
            notice(champion.language or community.default_language),
            now,
            member_id=champion.member_id,
            community_id=community.id,
        )
        for champion in told
    ]
    await outbox.enqueue(uow, messages, now=now)
    await uow.advice.add_notices(question.id, [c.member_id for c in told], reason, now)
    return told


def first_answer_body(
    question: Question, answer: Answer, author: Member | None, reader: Translator
) -> Document:
    """The asker's private notice of the first answer to their question."""
    return doc(
        line(
            bold(reader.gettext("Your question {id} has its first answer.", id=label_of(question)))
        ),
        answer_block(question, answer, author, reader, best=False),
        reader.gettext(
            "When it solves your problem, mark it with /solved {id}.", id=label_of(question)
        ),
    )


async def _first_from_others(uow: UnitOfWork, question: Question, answer: Answer) -> bool:
    """``answer`` is the first one not written by the asker. Asked of the answers themselves
    (the outbox key also stops a second notice, but sent rows are pruned after a while)."""
    if answer.author_id == question.asker_id:
        return False
    return not any(
        earlier.id != answer.id and earlier.author_id != question.asker_id
        for earlier in await uow.advice.answers(question.id)
    )


async def relay_answer(
    uow: UnitOfWork,
    community: Community,
    question: Question,
    answer: Answer,
    *,
    now: datetime,
    source: tuple[str, str] | None,
) -> None:
    """Copy the answer to every mirror but the one it was written in; tell the asker once."""
    author = await uow.members.get(answer.author_id) if answer.author_id else None
    translator = Translator(community.default_language)
    messages = []
    for mirror in await uow.advice.mirrors(question.id):
        if source == (mirror.platform, mirror.chat_id):
            continue
        reply = Reply(
            body=doc(answer_block(question, answer, author, translator, best=False)),
            reply_to=mirror.message_id or None,
        )
        recipient = Recipient(Platform(mirror.platform), mirror.chat_id, mirror.thread_id)
        messages.append(
            outbox.message(
                f"advice:a{answer.id}:relay:{mirror.id}",
                "advice.answer",
                recipient,
                reply,
                now,
                community_id=community.id,
                question_id=question.id,
                answer_id=answer.id,
            )
        )
    await outbox.enqueue(uow, messages, now=now)
    asker = await uow.members.get(question.asker_id) if question.asker_id else None
    if asker is not None and await _first_from_others(uow, question, answer):
        asker_at = private_recipient(asker)
        if asker_at is not None:
            reader = _reader(asker, community)
            reply = Reply(body=first_answer_body(question, answer, author, reader), rtl=reader.rtl)
            await outbox.enqueue(
                uow,
                [
                    outbox.message(
                        f"advice:q{question.id}:first-answer",
                        "advice.first_answer",
                        asker_at,
                        reply,
                        now,
                        member_id=asker.id,
                        community_id=community.id,
                        question_id=question.id,
                        answer_id=answer.id,
                    )
                ],
                now=now,
            )


STATE_TEXTS = {
    QuestionStatus.SOLVED: N_("✅ {id} is solved."),
    QuestionStatus.CLOSED: N_("{id} is closed by the moderators."),
    QuestionStatus.OPEN: N_("{id} is open again."),
    QuestionStatus.DELETED: N_("{id} was removed by the moderators."),
}


async def state_body(
    uow: UnitOfWork, question: Question, state: QuestionStatus, translator: Translator
) -> Document:
    """A question's new state as every mirror shows it (a solved one with its best answer)."""
    blocks: list[Any] = [line(bold(translator.gettext(STATE_TEXTS[state], id=label_of(question))))]
    if state == QuestionStatus.SOLVED and question.best_answer_id:
        best = await uow.advice.answer(question.best_answer_id)
        if best is not None:
            author = await uow.members.get(best.author_id) if best.author_id else None
            blocks.append(line(translator.gettext("Best answer:")))
            blocks.append(answer_block(question, best, author, translator, best=True))
    return doc(*blocks)


async def announce_state(
    uow: UnitOfWork,
    community: Community,
    question: Question,
    *,
    now: datetime,
    state: QuestionStatus,
) -> None:
    """Show a question's new state (solved, closed, reopened) in every mirror."""
    translator = Translator(community.default_language)
    body = await state_body(uow, question, state, translator)
    messages = []
    stamp = int(now.timestamp())
    for mirror in await uow.advice.mirrors(question.id):
        reply = Reply(
            body=body,
            thread=ThreadState(
                ThreadStatus(state), f"{label_of(question)} · {question.title}"[:100]
            ),
            reply_to=mirror.message_id or None,
        )
        messages.append(
            outbox.message(
                f"advice:q{question.id}:{state}:{stamp}:{mirror.id}",
                "advice.state",
                Recipient(Platform(mirror.platform), mirror.chat_id, mirror.thread_id),
                reply,
                now,
                community_id=community.id,
                question_id=question.id,
                state=str(state),
            )
        )
    await outbox.enqueue(uow, messages, now=now)


def may_moderate(question: Question, member: Member, is_admin: bool) -> None:
    if not (is_admin or question.asker_id == member.id):
        raise PermissionDeniedError("Only the person who asked, or an admin, can do that.")


async def find_question(uow: UnitOfWork, community: Community, reference: str) -> Question:
    question = await uow.advice.question(question_id(reference))
    if (
        question is None
        or question.community_id != community.id
        or question.status == QuestionStatus.DELETED
    ):
        raise NotFoundError("There is no question {id}.", id=reference.strip()[:20])
    return question


async def record_mirror(
    uow: UnitOfWork,
    question_id: int,
    sent_platform: str,
    chat_id: str,
    thread_id: str | None,
    message_id: str | None,
) -> None:
    """Remember where a question was posted (called once the outbox row is sent)."""
    for mirror in await uow.advice.mirrors(question_id):
        if (mirror.platform, mirror.chat_id) == (sent_platform, chat_id):
            mirror.thread_id = thread_id
            mirror.message_id = message_id
            return
    await uow.advice.add(
        QuestionMirror(
            question_id=question_id,
            platform=sent_platform,
            chat_id=chat_id,
            thread_id=thread_id,
            message_id=message_id,
        )
    )
