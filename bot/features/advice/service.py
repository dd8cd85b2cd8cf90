"""Peer advice: questions mirrored to every advice place, answers relayed between them.

Everything that leaves the request (a question posted to a Telegram forum and a Discord forum,
an answer relayed, a private notice to a champion) goes through the durable outbox with an
idempotency key, in the same transaction as the question or answer itself: a redelivered
update or a crash never posts twice, and nothing is lost.

Anonymous questions keep their asker for moderation only: no card, relay, notice, list or
search result names them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.errors import NotFoundError, PermissionDeniedError, UsageError
from bot.core.i18n import N_, Translator
from bot.core.messages import (
    OPEN_THREAD,
    REPLY_TO,
    THREAD_STATE,
    THREAD_TITLE,
    Button,
    Platform,
    Recipient,
    Reply,
)
from bot.core.richtext import Document, bold, doc, italic, line
from bot.core.vocab import REGIONS, THEMES, label
from bot.delivery import outbox
from bot.features.profiles.lookup import private_recipient
from storage.models import AdviceNotice, Answer, Community, Member, Question, QuestionMirror
from storage.statuses import ChatPurpose, MembershipRole, NoticeReason, QuestionStatus
from storage.unit_of_work import UnitOfWork

ADVICE_PURPOSE = ChatPurpose.ADVICE
ANSWER_HINT = N_(
    "To answer, write in this thread or reply to this message: your answer reaches every "
    "advice group, on Telegram and on Discord."
)
PLATFORM_NAMES = {"telegram": "Telegram", "discord": "Discord", "console": "console"}
_QUESTION_ID = re.compile(r"^(?:#|q)?(\d{1,9})$", re.IGNORECASE)


def question_id(text: str) -> int:
    """``12``, ``#12`` or ``Q12`` → 12."""
    match = _QUESTION_ID.match(text.strip())
    if match is None:
        raise UsageError("“{value}” is not a question number like Q12.", value=text[:40])
    return int(match.group(1))


def label_of(question: Question) -> str:
    return f"Q{question.id}"


@dataclass(frozen=True)
class AskedQuestion:
    """What a member typed, split into a title and a body, with themes pulled from #tags."""

    title: str
    body: str
    themes: list[str]
    anonymous: bool


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def theme_code(tag: str, translator: Translator) -> str | None:
    """A theme code from a #tag: the code, the English label or the reader's label."""
    wanted = _fold(tag.replace("_", " ").replace("-", " "))
    for choice in THEMES:
        names = {choice.value, choice.label, translator.gettext(choice.label)}
        if any(_fold(name.replace("_", " ").replace("-", " ")) == wanted for name in names):
            return choice.value
    if len(wanted) < 4:
        return None
    found = {  # a word of a label, or its start, is enough when it names one theme: #quota
        choice.value
        for choice in THEMES
        for name in (choice.value, choice.label, translator.gettext(choice.label))
        for word in re.split(r"[\s_\-]+", _fold(name))
        if word.startswith(wanted) or (wanted.startswith(word) and len(word) >= 4)
    }
    return found.pop() if len(found) == 1 else None


ANONYMOUS_WORDS = frozenset({"anonymous", "anon", "anonyme", "anónimo", "anonimo", "مجهول"})


def split_question(text: str, translator: Translator) -> AskedQuestion:
    """Turn ``[anonymous] Title? body #theme`` into its parts; refuse what cannot be a question."""
    words = text.strip().split(None, 1)
    anonymous = bool(words) and _fold(words[0]) in ANONYMOUS_WORDS
    if anonymous:
        text = words[1] if len(words) > 1 else ""
    themes: list[str] = []
    unknown: list[str] = []
    for tag in re.findall(r"#([\w\-]+)", text):
        code = theme_code(tag, translator)
        if code is None:
            unknown.append(tag)
        elif code not in themes:
            themes.append(code)
    if unknown:
        raise UsageError(
            "I don't know the theme #{tag}. Themes: {themes}.",
            tag=unknown[0],
            themes=", ".join("#" + c.value for c in THEMES),
        )
    plain = re.sub(r"\s*#[\w\-]+", "", text).strip()
    if len(plain) < 10:
        raise UsageError("Please write your question in a sentence or more.")
    cut = re.search(r"[?؟](\s|$)", plain)
    if cut and cut.end() < len(plain):
        title, body = plain[: cut.end()].strip(), plain[cut.end() :].strip()
    else:
        title, body = plain, ""
    if len(title) > 200:
        title, body = title[:197].rstrip() + "…", plain
    return AskedQuestion(title=title, body=body, themes=themes, anonymous=anonymous)


def attribution(member: Member | None, platform: str, translator: Translator) -> str:
    """``Grace (East and Southern Africa, via Discord)``; a forgotten member is a former member."""
    if member is None:
        return translator.gettext("former member")
    via = translator.gettext("via {platform}", platform=PLATFORM_NAMES.get(platform, platform))
    region = translator.gettext(label(REGIONS, member.region) or "") if member.region else ""
    details = ", ".join(part for part in (region, via) if part)
    return f"{member.display_name} ({details})"


def asker_label(question: Question, asker: Member | None, translator: Translator) -> str:
    if question.anonymous:
        return translator.gettext("a member (anonymous)")
    return attribution(asker, question.asked_platform, translator)


def question_card(
    question: Question, asker: Member | None, translator: Translator, *, answers: int | None = None
) -> Document:
    _ = translator.gettext
    themes = ", ".join(_(label(THEMES, code) or code) for code in question.themes)
    status = {
        QuestionStatus.OPEN: N_("open"),
        QuestionStatus.SOLVED: N_("solved"),
        QuestionStatus.CLOSED: N_("closed"),
    }.get(question.status, question.status)
    blocks: list[Any] = [line(bold(f"{label_of(question)} · {question.title}"))]
    if question.body:
        blocks.append(question.body)
    meta = [_("Asked by {who}", who=asker_label(question, asker, translator)), _(status)]
    if themes:
        meta.append(themes)
    if answers is not None:
        meta.append(_("answers: {count}", count=answers))
    blocks.append(line(italic(" · ".join(meta))))
    return doc(*blocks)


def by_anonymous_asker(question: Question, answer: Answer) -> bool:
    """An answer (a follow-up) written by the person who asked anonymously."""
    return (
        question.anonymous
        and answer.author_id is not None
        and (answer.author_id == question.asker_id)
    )


def answer_block(
    question: Question,
    answer: Answer,
    author: Member | None,
    translator: Translator,
    *,
    best: bool,
) -> Any:
    """One answer, signed; a follow-up by an anonymous asker stays anonymous."""
    if by_anonymous_asker(question, answer):
        who = translator.gettext("the asker (anonymous)")
    else:
        who = attribution(author, answer.platform, translator)
    mark = "✅ " if best else ""
    return line(bold(f"{mark}{who}: "), answer.body)


# delivery ----------------------------------------------------------------------------------------


def _reader(member: Member, community: Community) -> Translator:
    return Translator(member.language or community.default_language)


async def post_question(
    uow: UnitOfWork, community: Community, question: Question, now: datetime
) -> int:
    """Queue the question for every advice place of the community on every platform."""
    asker = await uow.members.get(question.asker_id) if question.asker_id else None
    translator = Translator(community.default_language)
    messages = []
    for chat in await uow.communities.chats(community, ADVICE_PURPOSE):
        card = question_card(question, asker, translator)
        reply = Reply(
            body=doc(*card.blocks, line(italic(translator.gettext(ANSWER_HINT)))),
            rtl=translator.rtl,
            buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
            extra={OPEN_THREAD: f"{label_of(question)} · {question.title}"[:100]},
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
) -> list[Member]:
    """Tell champions whose expertise (and region, when given) matches, within the daily cap."""
    champions = await uow.communities.members_with_role(community, MembershipRole.CHAMPION)
    told: list[Member] = []
    for champion in champions:
        if champion.id == question.asker_id:
            continue
        if question.themes and not set(question.themes) & set(champion.expertise):
            continue
        if question.region and champion.region != question.region:
            continue
        if not await uow.advice.wants_notices(champion.id):
            continue
        if await uow.advice.noticed(question.id, champion.id, reason):
            continue
        if await uow.advice.notices_since(champion.id, now - timedelta(days=1)) >= daily_cap:
            continue
        recipient = private_recipient(champion)
        if recipient is None:
            continue
        translator = _reader(champion, community)
        intro = (
            N_("A new question matches your expertise. Can you help?")
            if reason == NoticeReason.NEW
            else N_("This question is still waiting for an answer. Can you help?")
        )
        reply = Reply(
            body=doc(
                line(bold(translator.gettext(intro))),
                *question_card(question, None, translator).blocks[:-1],
            ),
            buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
            rtl=translator.rtl,
        )
        await outbox.enqueue(
            uow,
            [
                outbox.message(
                    f"advice:q{question.id}:notice:{reason}:{champion.id}",
                    "advice.notice",
                    recipient,
                    reply,
                    now,
                    member_id=champion.id,
                    community_id=community.id,
                )
            ],
            now=now,
        )
        await uow.advice.add(
            AdviceNotice(question_id=question.id, member_id=champion.id, reason=reason, sent_at=now)
        )
        told.append(champion)
    return told


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
            extra={REPLY_TO: mirror.message_id} if mirror.message_id else {},
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
            )
        )
    await outbox.enqueue(uow, messages, now=now)
    asker = await uow.members.get(question.asker_id) if question.asker_id else None
    if asker is not None and asker.id != answer.author_id:  # the key makes it the first only
        asker_at = private_recipient(asker)
        if asker_at is not None:
            reader = _reader(asker, community)
            reply = Reply(
                body=doc(
                    line(
                        bold(
                            reader.gettext(
                                "Your question {id} has its first answer.", id=label_of(question)
                            )
                        )
                    ),
                    answer_block(question, answer, author, reader, best=False),
                    reader.gettext(
                        "When it solves your problem, mark it with /solved {id}.",
                        id=label_of(question),
                    ),
                ),
                rtl=reader.rtl,
            )
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
                    )
                ],
                now=now,
            )


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
    texts = {
        QuestionStatus.SOLVED: N_("✅ {id} is solved."),
        QuestionStatus.CLOSED: N_("{id} is closed by the moderators."),
        QuestionStatus.OPEN: N_("{id} is open again."),
        QuestionStatus.DELETED: N_("{id} was removed by the moderators."),
    }
    blocks: list[Any] = [line(bold(translator.gettext(texts[state], id=label_of(question))))]
    if state == QuestionStatus.SOLVED and question.best_answer_id:
        best = await uow.advice.answer(question.best_answer_id)
        if best is not None:
            author = await uow.members.get(best.author_id) if best.author_id else None
            blocks.append(line(translator.gettext("Best answer:")))
            blocks.append(answer_block(question, best, author, translator, best=True))
    messages = []
    stamp = int(now.timestamp())
    for mirror in await uow.advice.mirrors(question.id):
        reply = Reply(
            body=doc(*blocks),
            extra={
                THREAD_STATE: state,
                THREAD_TITLE: f"{label_of(question)} · {question.title}"[:100],
                **({REPLY_TO: mirror.message_id} if mirror.message_id else {}),
            },
        )
        messages.append(
            outbox.message(
                f"advice:q{question.id}:{state}:{stamp}:{mirror.id}",
                "advice.state",
                Recipient(Platform(mirror.platform), mirror.chat_id, mirror.thread_id),
                reply,
                now,
                community_id=community.id,
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


# search ------------------------------------------------------------------------------------------


def _terms(text: str) -> list[str]:
    return [word for word in re.findall(r"\w+", _fold(text)) if len(word) > 2]


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


async def nudge_unanswered(
    uow: UnitOfWork,
    *,
    now: datetime,
    after: timedelta,
    daily_cap: int,
    admin_recipients: list[Recipient],
) -> list[Question]:
    """Re-announce questions unanswered for ``after`` to matching champions; tell the admins."""
    nudged = await uow.advice.unanswered_since(now - after)
    for question in nudged:
        community = await uow.communities.get(question.community_id)
        if community is None:
            continue
        await notify_matching_champions(
            uow, community, question, now=now, daily_cap=daily_cap, reason=NoticeReason.NUDGE
        )
        translator = Translator(community.default_language)
        hours = int(after.total_seconds() // 3600)
        admins = list(admin_recipients)
        for member in await uow.communities.members_with_role(community, MembershipRole.ADMIN):
            recipient = private_recipient(member)
            if recipient is not None and recipient not in admins:
                admins.append(recipient)
        reply = Reply(
            body=doc(
                line(
                    bold(
                        translator.gettext(
                            "{id} has had no answer for {hours} hours.",
                            id=label_of(question),
                            hours=hours,
                        )
                    )
                ),
                *question_card(question, None, translator).blocks[:-1],
            ),
            buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
        )
        await outbox.enqueue(
            uow,
            [
                outbox.message(
                    f"advice:q{question.id}:admin-nudge:{a.platform.value}:{a.chat_id}",
                    "advice.admin_nudge",
                    a,
                    reply,
                    now,
                    community_id=community.id,
                )
                for a in admins
            ],
            now=now,
        )
        question.nudged_at = now
    return nudged
