"""The neutral message model: who speaks, where, what they asked and what the bot answers."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from bot.core.richtext import Document, doc
from bot.core.sanitize import clean_name, clean_options, clean_text, safe_filename

PING_ROLE = "ping_role"
"""``Reply.extra`` key: an admin announcement that may ping the configured role (Discord).
Only the core sets it, after checking the sender is an admin."""

INLINE_TITLE = "inline_title"
"""``Reply.extra`` key of an inline result: the plain-text title shown in the result list."""
INLINE_DESCRIPTION = "inline_description"
"""``Reply.extra`` key of an inline result: one plain-text line under the title."""
INLINE_ID = "inline_id"
"""``Reply.extra`` key of an inline result: a short stable id (e.g. the resource number)."""
INLINE_LIMIT = 10
"""At most this many results answer an inline lookup."""

CALLBACK_LIMIT_BYTES = 64
"""Telegram's limit on callback data; button actions must fit in it on every platform."""

# Thread-aware replies: ``Reply.extra`` keys that adapters honour where the platform can.
OPEN_THREAD = "open_thread"
"""A title: post the reply as the start of a new thread (Telegram forum topic, Discord forum
post or a thread on the message) unless the recipient is already a thread or private chat."""
REPLY_TO = "reply_to"
"""A platform message id: send the reply as an answer to that message (plain groups)."""
THREAD_STATE = "thread_state"
"""``solved``, ``closed`` or ``open``: show the thread's new state (title mark, close, tag)."""
THREAD_TITLE = "thread_title"
"""The thread's plain title, renamed along with :data:`THREAD_STATE`."""
THREAD_STATES = ("solved", "closed", "open", "deleted")
SOLVED_MARK = "✅ "
"""What a solved thread's title starts with, on every platform."""


class Platform(enum.StrEnum):
    TELEGRAM = "telegram"
    DISCORD = "discord"
    CONSOLE = "console"


class PlaceKind(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    FORUM = "forum"
    """A topic of a Telegram forum supergroup, or a post in a Discord forum channel."""


class RequestKind(enum.StrEnum):
    COMMAND = "command"
    """A command with its arguments (slash command, ``/text`` command, console line)."""
    TEXT = "text"
    """Plain text: an answer to a question the bot asked, or a reply in a thread."""
    BUTTON = "button"
    """A button press; ``command``/``text`` hold the button's action."""
    INLINE = "inline"
    """An inline lookup (Telegram ``@bot query`` in any chat); ``text`` is the query.

    It has no effects: the router answers it in a transaction it always rolls back, never
    records its update id, and replies are result cards (see :data:`INLINE_TITLE`)."""


class Destination(enum.StrEnum):
    HERE = "here"
    PRIVATE = "private"
    EPHEMERAL = "ephemeral"
    """Only the caller sees it (Discord ephemeral; a private message elsewhere)."""


@dataclass(frozen=True)
class Actor:
    """The person behind a request, as the platform knows them."""

    platform: Platform
    user_id: str
    display_name: str
    locale: str | None = None
    is_platform_admin: bool = False
    """True when the platform says so (config admins, console ``--admin``)."""

    def __post_init__(self) -> None:
        # The edge of the core: a name the platform gave is cleaned here, once, for every
        # adapter (no NUL for PostgreSQL, no bidi override disguising it; bot.core.sanitize).
        object.__setattr__(self, "display_name", clean_name(self.display_name))


@dataclass(frozen=True)
class Place:
    """Where a request came from or a reply goes."""

    platform: Platform
    chat_id: str
    kind: PlaceKind = PlaceKind.PRIVATE
    thread_id: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if self.title is not None:
            object.__setattr__(self, "title", clean_name(self.title))


@dataclass(frozen=True)
class Request:
    """One thing a person did, in platform-neutral form.

    Arguments arrive either as ``text`` (the raw text after the command, parsed by the
    registry) or as ``options`` (already split by the platform, e.g. Discord slash options);
    the router converts both with the same argument types.
    """

    actor: Actor
    place: Place
    kind: RequestKind = RequestKind.COMMAND
    command: str | None = None
    text: str = ""
    options: dict[str, str] | None = None
    update_id: str | None = None
    """The platform's id for this delivery; a repeated id is ignored (idempotency)."""
    reply_to: str | None = None
    """Platform id of the message this one replies to, if any."""
    message_id: str | None = None

    def __post_init__(self) -> None:
        # Whatever an adapter passes, the core only ever reads clean text (bot.core.sanitize).
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "options", clean_options(self.options))
        if self.command is not None:
            object.__setattr__(self, "command", clean_text(self.command))


@dataclass(frozen=True)
class Button:
    """A button whose press runs ``action``, a short command line such as ``rsvp 12``.

    The action is an id into the core, not a payload, so it fits any platform's limit
    (64 bytes on Telegram) and a stale button simply meets a polite "not found".
    """

    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > CALLBACK_LIMIT_BYTES - 4:
            raise ValueError(f"button action too long for every platform: {self.action!r}")


@dataclass(frozen=True)
class Attachment:
    filename: str
    """A bare file name, made safe for every platform's upload (``safe_filename``)."""
    data: bytes
    mime_type: str = "application/octet-stream"

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))


@dataclass(frozen=True)
class Reply:
    """Something the bot says in answer to a request."""

    body: Document
    destination: Destination = Destination.HERE
    buttons: tuple[tuple[Button, ...], ...] = ()
    """Rows of buttons."""
    attachments: tuple[Attachment, ...] = ()
    rtl: bool = False
    """Right-to-left text (Arabic); adapters may mark direction."""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def text(cls, *blocks: Any, destination: Destination = Destination.HERE) -> Reply:
        return cls(body=doc(*blocks), destination=destination)


@dataclass(frozen=True)
class Recipient:
    """Where a background message goes: a member privately, or a chat/thread."""

    platform: Platform
    chat_id: str
    thread_id: str | None = None
    private: bool = False


@dataclass(frozen=True)
class SentMessage:
    """What an adapter reports after sending: ids the core may keep to edit or relay."""

    platform: Platform
    chat_id: str
    message_id: str
    thread_id: str | None = None
