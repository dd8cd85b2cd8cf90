"""The structure of a good practice write-up, as the working groups use it.

One part per message: the guided chat (``/practice``) asks them in this order, stores each
answer at once in the draft (``contributions.sections``), and can go back or skip.
"""

from __future__ import annotations

from bot.core.i18n import N_

SECTIONS: tuple[str, ...] = (
    "title",
    "context",
    "challenge",
    "actions",
    "results",
    "failures",
    "lessons",
    "contact",
)
"""The parts, in the order they are asked (``title`` also names the contribution)."""

REQUIRED = ("title", "context", "challenge", "actions")
"""Without these a write-up says nothing: they cannot be skipped."""

LIMITS = {"title": 200, "contact": 300}
DEFAULT_LIMIT = 2000

_LABELS = {
    "title": N_("Title"),
    "context": N_("Context"),
    "challenge": N_("Challenge"),
    "actions": N_("What was done"),
    "results": N_("Results"),
    "failures": N_("What did not work"),
    "lessons": N_("Lessons"),
    "contact": N_("Contact"),
}

_QUESTIONS = {
    "title": N_("What shall we call this practice? One short line."),
    "context": N_("Context: where did it happen, who was involved, and when?"),
    "challenge": N_("The challenge: what problem were you trying to solve?"),
    "actions": N_("What was done, step by step?"),
    "results": N_("Results: what changed? Figures help if you have them."),
    "failures": N_("What did not work, or went differently than planned?"),
    "lessons": N_("Lessons: what would you tell a city that wants to do the same?"),
    "contact": N_("Contact: who can others ask about it (a name, an email, a website)?"),
}

BACK_WORDS = frozenset({"back", "retour", "atras", "volver", "رجوع"})
"""Folded (:func:`bot.core.reading.fold`), as the typed word is compared."""
SKIP_WORDS = frozenset({"skip", "passer", "omitir", "saltar", "تخطي", "-"})


def section_label(name: str) -> str:
    return _LABELS[name]


def question_of(name: str) -> str:
    return _QUESTIONS[name]


def limit_of(name: str) -> int:
    return LIMITS.get(name, DEFAULT_LIMIT)


def next_section(name: str) -> str | None:
    index = SECTIONS.index(name)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None


def previous_section(name: str) -> str:
    index = SECTIONS.index(name)
    return SECTIONS[max(index - 1, 0)]


def first_missing(sections: dict[str, object]) -> str | None:
    """Where a resumed write-up starts again: the first part not answered nor skipped."""
    for name in SECTIONS:
        if name not in sections:
            return name
    return None
