"""The neutral message model: who speaks, where, what they asked and what the bot answers."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from bot.core.richtext import Document, doc
from bot.core.sanitize import clean_name, clean_options, clean_text, safe_filename

INLINE_LIMIT = 10
"""At most this many results answer an inline lookup."""

CALLBACK_LIMIT_BYTES = 64
"""Telegram's limit on callback data; button actions must fit in it on every platform."""

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
    records its update id, and replies are result cards (see :class:`InlineCard`)."""


class Destination(enum.StrEnum):
    """Where a reply goes; the rule for groups is in :mod:`bot.core.personal`."""

    HERE = "here"
    """Where the request was made, for everybody there to read."""
    PRIVATE = "private"
    """The caller's private chat (forms, files, codes). Asked in a group, the group gets a
    :attr:`POINTER`."""
    EPHEMERAL = "ephemeral"
    """Only the caller sees it (Discord ephemeral; a private message elsewhere): a short note
    such as a confirmation or an error, with no pointer in the group."""
    PERSONAL = "personal"
    """A view about the caller or in their own time zone, language or rights (``/help``,
    ``/webinars``, one's own profile). Only a handler uses it: the router makes it ``HERE`` in
    a private chat, and in a group ``EPHEMERAL`` with a :attr:`POINTER`."""
    POINTER = "pointer"
    """The group's one line saying the answer went to the caller privately; only the router
    makes it. Adapters send it like ``HERE`` when a private message did go out, and drop it
    when the answer was shown in place (Discord ephemeral) or could not be sent (Telegram then
    says how to open a private chat instead)."""


@dataclass(frozen=True)
class Actor:
    """The person behind a request, as the platform knows them."""

    platform: Platform
    user_id: str
    display_name: str
    locale: str | None = None
    is_platform_admin: bool = False
    """True when the platform says so (config admins, console ``--admin``)."""
    username: str | None = None
    """The platform's unique handle (Telegram ``@username``, Discord ``name``), without ``@``:
    stored on the account so other members can find this one by ``@handle``."""

    def __post_init__(self) -> None:
        # The edge of the core: a name the platform gave is cleaned here, once, for every
        # adapter (no NUL for PostgreSQL, no bidi override disguising it; bot.core.sanitize).
        object.__setattr__(self, "display_name", clean_name(self.display_name))
        if self.username is not None:
            handle = clean_name(self.username).lstrip("@").replace(" ", "")[:100]
            object.__setattr__(self, "username", handle or None)


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
class Upload:
    """A file a person sent with a request (a Telegram document, a Discord attachment).

    The adapter fetches the bytes when the file is within the size it was told to accept
    (``[contributions] max_file_mb``); a bigger one arrives with ``data=None`` and its size, so
    the core can say so politely. The core decides what it accepts (``mime_type`` is only what
    the platform claimed)."""

    filename: str
    mime_type: str
    size: int
    data: bytes | None = field(default=None, repr=False)
    """The content; ``None`` when the adapter did not fetch it (too big). Not in the repr: a
    logged request never dumps a file."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))
        object.__setattr__(self, "mime_type", clean_name(self.mime_type)[:120])
        if self.data is not None:
            object.__setattr__(self, "size", len(self.data))


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
    upload: Upload | None = None
    """A file sent with the request (a document captioned ``/share ...``, a slash command's
    attachment option, or a file answering a question the bot asked)."""

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


class ThreadStatus(enum.StrEnum):
    """A question thread's new state, as the platforms show it."""

    SOLVED = "solved"
    """Title marked with :data:`SOLVED_MARK`, thread closed (Discord: "Solved" tag)."""
    CLOSED = "closed"
    """Closed by the moderators: topic closed, post archived."""
    OPEN = "open"
    """Reopened: the thread accepts messages again."""
    DELETED = "deleted"
    """Removed by the moderators: the topic or post goes."""


@dataclass(frozen=True)
class ThreadState:
    """Show a thread's new state (rename, close, reopen, delete) where the reply lands."""

    status: ThreadStatus
    title: str | None = None
    """The thread's plain title, renamed for the state; ``None`` keeps the name."""


@dataclass(frozen=True)
class InlineCard:
    """How an inline result is listed (Telegram ``@bot query``); the reply's body is the card
    that gets shared. Plain text: the platform shows it as typed."""

    title: str
    """The result's name in the list; empty: the card's first line."""
    description: str | None = None
    """One line under the title."""
    id: str | None = None
    """A short stable id, such as the resource number."""


@dataclass(frozen=True)
class MeetingPlace:
    """Open a private place for these accounts and post the reply there (Discord: a private
    thread in the recipient channel, with each account added). Platform user ids of the
    recipient's platform; the thread name is plain text, one line."""

    title: str
    accounts: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """Something the bot says in answer to a request.

    The optional hints below say what the core means; each adapter does what its platform
    allows and ignores the rest (a private chat has no thread to open).
    """

    body: Document
    destination: Destination = Destination.HERE
    buttons: tuple[tuple[Button, ...], ...] = ()
    """Rows of buttons."""
    attachments: tuple[Attachment, ...] = ()
    rtl: bool = False
    """Right-to-left text (Arabic); adapters may mark direction."""
    open_thread: str | None = None
    """A title: post the reply as the start of a new thread (Telegram forum topic, Discord forum
    post or a thread on the message) unless the recipient is already a thread or private chat."""
    reply_to: str | None = None
    """A platform message id: send the reply as an answer to that message (plain groups)."""
    thread: ThreadState | None = None
    """Show the thread's new state along with the reply (title mark, close, reopen, delete)."""
    ping_role: bool = False
    """An admin announcement that may ping the configured role (Discord). Only the core sets
    it, after checking the sender is an admin."""
    inline: InlineCard | None = None
    """Set on the replies to an inline lookup: how each result is listed."""
    meeting_place: MeetingPlace | None = None
    """Post the reply in a new private place for these accounts only (a pairing round's
    Discord pair); a platform that cannot must refuse rather than post it in the open."""

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
