"""What people come for: the topics ``/help`` and the platform menus group commands by.

Every command declares one :class:`Topic` (a feature sets it for all its commands, a command
may override it), so ``/help`` can open on one short line per topic and ``/help <topic>``
lists the rest. The topic word a member types is accepted in any of the four languages,
without accents or case (``/help evenements``, ``/help eventos``, ``/help فعاليات``).
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

from bot.core.i18n import N_, SUPPORTED_LANGUAGES, Translator


class Topic(enum.StrEnum):
    """In the order ``/help`` and the menus show them."""

    ADVICE = "advice"
    RESOURCES = "resources"
    EVENTS = "events"
    NETWORK = "network"
    CONTRIBUTIONS = "contributions"
    ACCOUNT = "account"
    ADMIN = "admin"


@dataclass(frozen=True)
class TopicText:
    title: str
    """A msgid: the heading of the topic."""
    word: str
    """A msgid: the one word a member types after ``/help`` (shown in their language)."""
    synonyms: tuple[str, ...] = ()
    """Other words accepted in any language (not translated, not shown)."""


TOPIC_TEXTS: dict[Topic, TopicText] = {
    Topic.ADVICE: TopicText(N_("Advice from peers"), N_("advice"), ("advise", "questions")),
    Topic.RESOURCES: TopicText(
        N_("Resources and self-assessment"), N_("resources"), ("hub", "assess")
    ),
    Topic.EVENTS: TopicText(N_("Events and webinars"), N_("events"), ("webinars", "webinar")),
    Topic.NETWORK: TopicText(
        N_("Profile and networking"), N_("network"), ("profile", "profil", "perfil", "mentoring")
    ),
    Topic.CONTRIBUTIONS: TopicText(
        N_("Contributions and stories"), N_("contributions"), ("share", "stories")
    ),
    Topic.ACCOUNT: TopicText(
        N_("Your account, language and data"), N_("account"), ("settings", "privacy")
    ),
    Topic.ADMIN: TopicText(N_("Administration"), N_("administration"), ("admin", "admins")),
}


def fold(word: str) -> str:
    """Case-, accent- and tatweel-free form of a typed word, for matching."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold().lstrip("/"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c != "\u0640")


def topic_named(word: str) -> Topic | None:
    """The topic ``word`` names: its English word, a synonym, or its word in any language."""
    typed = fold(word)
    if not typed:
        return None
    translators = [Translator(language) for language in SUPPORTED_LANGUAGES]
    for topic, text in TOPIC_TEXTS.items():
        names = {topic.value, *text.synonyms, *(t.gettext(text.word) for t in translators)}
        if typed in {fold(name) for name in names}:
            return topic
    return None
