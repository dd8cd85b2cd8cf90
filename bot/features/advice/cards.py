"""How a question and its answers read, in the reader's language.

An anonymous asker is never named: not on the card, nor on a follow-up they write.
"""

from __future__ import annotations

from typing import Any

from bot.core.i18n import N_, Translator
from bot.core.richtext import Document, bold, doc, italic, line
from bot.core.vocab import REGIONS, THEMES, label
from storage.models import Answer, Member, Question
from storage.statuses import QuestionStatus

PLATFORM_NAMES = {"telegram": "Telegram", "discord": "Discord", "console": "console"}


def label_of(question: Question) -> str:
    return f"Q{question.id}"


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
    themes = translator.format_list([_(label(THEMES, code) or code) for code in question.themes])
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
        meta.append(translator.ngettext("{count} answer", "{count} answers", answers))
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
