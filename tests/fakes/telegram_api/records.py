"""What the fake keeps of the bot's calls, as tests read them: every call with its answer, the
messages as a reader sees them, inline answers, forum topics and webhook deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Sent:
    """A message as a reader sees it, with where it went."""

    method: str
    chat_id: int
    thread_id: int | None
    text: str
    html: str | None
    message_id: int
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    document: bytes | None = None
    filename: str | None = None


@dataclass
class InlineResult:
    """One offered inline result, with the text a reader sees once it is shared."""

    id: str
    title: str
    description: str | None
    text: str
    html: str


@dataclass
class InlineAnswer:
    """An ``answerInlineQuery`` call as recorded."""

    query_id: str
    results: list[InlineResult]
    cache_time: int | None
    is_personal: bool


@dataclass
class Topic:
    """A forum topic as members see it: its name and whether it is closed."""

    chat_id: int
    thread_id: int
    name: str
    closed: bool = False
    names: list[str] = field(default_factory=list)
    """Every name it had, oldest first."""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int


@dataclass
class Delivery:
    """One webhook call: which update went where, and how it was answered (None: no answer,
    the connection was refused or cut, or the call timed out)."""

    update_id: int
    url: str
    status: int | None
