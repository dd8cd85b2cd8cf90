"""What a member types about a question: its number (``Q12``), its #themes, and the
``[anonymous] Title? body #theme`` of ``/ask``."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.errors import UsageError
from bot.core.i18n import Translator
from bot.core.sanitize import clean_name
from bot.core.vocab import THEMES

_QUESTION_ID = re.compile(r"^(?:#|q)?(\d{1,9})$", re.IGNORECASE)


def question_id(text: str) -> int:
    """``12``, ``#12`` or ``Q12`` → 12."""
    match = _QUESTION_ID.match(text.strip())
    if match is None:
        raise UsageError("“{value}” is not a question number like Q12.", value=text[:40])
    return int(match.group(1))


@dataclass(frozen=True)
class AskedQuestion:
    """What a member typed, split into a title and a body, with themes pulled from #tags."""

    title: str
    body: str
    themes: list[str]
    anonymous: bool


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def theme_code(tag: str, translator: Translator) -> str | None:
    """A theme code from a #tag: the code, the English label or the reader's label."""
    wanted = fold(tag.replace("_", " ").replace("-", " "))
    for choice in THEMES:
        names = {choice.value, choice.label, translator.gettext(choice.label)}
        if any(fold(name.replace("_", " ").replace("-", " ")) == wanted for name in names):
            return choice.value
    if len(wanted) < 4:
        return None
    found = {  # a word of a label, or its start, is enough when it names one theme: #quota
        choice.value
        for choice in THEMES
        for name in (choice.value, choice.label, translator.gettext(choice.label))
        for word in re.split(r"[\s_\-]+", fold(name))
        if word.startswith(wanted) or (wanted.startswith(word) and len(word) >= 4)
    }
    return found.pop() if len(found) == 1 else None


ANONYMOUS_WORDS = frozenset({"anonymous", "anon", "anonyme", "anónimo", "anonimo", "مجهول"})


def split_question(text: str, translator: Translator) -> AskedQuestion:
    """Turn ``[anonymous] Title? body #theme`` into its parts; refuse what cannot be a question."""
    words = text.strip().split(None, 1)
    anonymous = bool(words) and fold(words[0]) in ANONYMOUS_WORDS
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
    title = clean_name(title)  # it names the question: a forum topic, a card's heading
    return AskedQuestion(title=title, body=body, themes=themes, anonymous=anonymous)
