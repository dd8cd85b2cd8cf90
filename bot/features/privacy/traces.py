"""What identifies one person in text, and taking it out of text and JSON.

A forgotten member's name, usernames, platform ids, organisation, bio and email addresses may sit
in text the bot keeps: a queued card signed with their name, an answer where they gave their
address. :class:`Traces` finds them as whole words, ignoring case, and replaces them: a name by
“former member”, anything else by “[removed]”.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from storage.models import Member

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SHORTEST = 3
"""Shorter strings (initials, "Jo") are not looked for: they would match too much text."""
TAG_KEYS = frozenset({"t"})
"""Keys of serialized rich text whose values are node tags, never people's text."""


def _names(member: Member) -> Iterator[str]:
    """What stands for the person: replaced by “former member”."""
    yield member.display_name
    for account in member.accounts:
        if account.username:
            yield account.username
            yield "@" + account.username.lstrip("@")
        if any(ch.isdigit() for ch in account.platform_user_id):
            yield account.platform_user_id  # Telegram and Discord ids (console ids are names)


def _details(member: Member) -> Iterator[str]:
    """What the person told about themselves: replaced by “[removed]”."""
    for text in (member.organisation, member.bio):
        if text:
            yield text
    for text in (member.display_name, member.role, member.organisation, member.bio):
        yield from EMAIL.findall(text or "")


def _kept(texts: Iterator[str]) -> set[str]:
    return {text.strip() for text in texts if len(text.strip()) >= SHORTEST}


@dataclass(frozen=True)
class Traces:
    """The strings that identify one member, and a pattern that finds any of them."""

    names: frozenset[str]
    details: frozenset[str]

    @classmethod
    def of(cls, member: Member) -> Traces:
        names = _kept(_names(member))
        return cls(frozenset(names), frozenset(_kept(_details(member)) - names))

    @property
    def needles(self) -> tuple[str, ...]:
        """Every string looked for, longest first (a bio before the email inside it)."""
        return tuple(sorted(self.names | self.details, key=lambda text: (-len(text), text)))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.needles:
            return None
        words = "|".join(re.escape(needle) for needle in self.needles)
        return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)

    @cached_property
    def _folded_names(self) -> frozenset[str]:
        return frozenset(name.casefold() for name in self.names)

    def found_in(self, value: Any) -> bool:
        """``value`` (text, or JSON data) holds one of the strings somewhere."""
        pattern = self._pattern
        return pattern is not None and any(pattern.search(text) for text in _strings(value))

    def redact(self, value: Any, *, name: str, detail: str) -> Any:
        """A copy of ``value`` (text, or JSON data) with every name replaced by ``name`` and
        every other trace (organisation, bio, email) by ``detail``."""
        pattern = self._pattern
        if pattern is None:
            return value

        def swap(found: re.Match[str]) -> str:
            return name if found.group(0).casefold() in self._folded_names else detail

        return _map_strings(value, lambda text: pattern.sub(swap, text))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in TAG_KEYS:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _map_strings(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {
            key: item if key in TAG_KEYS else _map_strings(item, change)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_map_strings(item, change) for item in value]
    return value
