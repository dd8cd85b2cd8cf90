"""The core's rich text as Discord markdown, with every piece of user text escaped.

User text sits in :class:`Text` leaves: markdown characters are backslash-escaped and mentions
(``@everyone``, ``<@&role>``, ``<@user>``) are broken with a zero-width space, so it reads as
typed and can never ping. Code spans and link addresses, where a backslash escapes nothing,
are made inert their own way: mentions broken with a zero-width space, a backtick swapped, an
address percent-encoded so it cannot close its ``<...>``. No output depends on
``allowed_mentions`` alone to stay silent. Messages are cut at line boundaries to fit Discord's
2000 characters.
"""

from __future__ import annotations

import re

import discord

from bot.core.richtext import (
    Block,
    Bold,
    BulletList,
    Code,
    Document,
    Italic,
    Link,
    Mention,
    Node,
    Text,
)
from bot.core.sanitize import without_lone_surrogates
from bot.core.walker import Walker

MESSAGE_LIMIT = 2000
"""Discord's documented limit on a bot message's content."""
LABEL_LIMIT = 300
"""Longer link labels are shortened (titles are shorter; a label is not a paragraph)."""
LINK_LIMIT = 1500
"""A rendered link longer than this is shown as plain text, so it always fits in a message."""


_MARKDOWN = re.compile(r"([\\*_~|`\[\]()<>#\-])")
_ORDERED = re.compile(r"^(\s*\d+)\.", re.MULTILINE)


def escape(text: str) -> str:
    """User text made inert: no markdown, no mentions, no masked links, whatever is cut where.

    Every markdown character is backslash-escaped on its own (``discord.utils.escape_markdown``
    escapes a ``[...](...)`` span as one, which lets long text through unescaped); mentions get
    a zero-width space after ``@`` (``discord.utils.escape_mentions``).
    """
    escaped = _ORDERED.sub(r"\1\\.", _MARKDOWN.sub(r"\\\1", text))
    return discord.utils.escape_mentions(escaped)


_MENTION_START = re.compile(r"(?<=<)(?=[@#/:]|a:|t:)|(?<=@)(?=everyone|here)", re.IGNORECASE)
"""Where a mention, channel link, command link, emoji or timestamp would begin in raw text."""


def _defused(text: str) -> str:
    """Raw text with a zero-width space wherever Discord could read a mention or a ``<...>``
    reference, for places where backslash escapes do not work (code spans)."""
    return _MENTION_START.sub("\u200b", text)


def _code(text: str) -> str:
    # Inside backticks markdown is inert; a backtick itself cannot be escaped, so swap it.
    inner = _defused(text.replace("`", "ˋ").replace("\n", " "))
    return f"`{inner}`" if text else ""


_SAFE_SCHEMES = ("http://", "https://")
_URL_UNSAFE = re.compile(r"[\s<>()`\\\x00-\x1f\x7f]")
_URL_MENTION = re.compile(r"@(?=everyone|here)", re.IGNORECASE)


def _url(url: str) -> str:
    """``url`` percent-encoded where it could close ``<...>``/``(...)`` or read as a mention
    (``%40everyone`` is the same address as ``@everyone``)."""
    encoded = _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), url)
    return _URL_MENTION.sub("%40", encoded)


def _wrapped(marker: str, children: list[str]) -> str:
    inner = "".join(children)
    return f"{marker}{inner}{marker}" if inner else ""


class _Markdown(Walker[str]):
    """Discord markdown for each node; every piece of user text goes through :func:`escape`."""

    def text(self, node: Text) -> str:
        return escape(node.value)

    def mention(self, node: Mention) -> str:
        return escape(node.name)

    def link(self, node: Link) -> str:
        if not node.url.lower().startswith(_SAFE_SCHEMES):
            return escape(node.plain())  # Discord links only these; the rest is plain text
        url = _url(node.url)
        if node.label == node.url or not node.label.strip():
            rendered = f"<{url}>"
        else:
            # A label is one line: a line break inside it would let split_message cut the
            # link's markup in two (found by tests/fuzz/test_layers_fuzz.py).
            label = " ".join(node.label.split())
            label = label if len(label) <= LABEL_LIMIT else label[:LABEL_LIMIT] + "…"
            rendered = f"[{escape(label)}](<{url}>)"
        # A link is cut whole or not at all (split_message): one that could not fit in a
        # message is shown as plain text instead.
        return rendered if len(rendered) <= LINK_LIMIT else escape(node.plain())

    def bold(self, node: Bold, children: list[str]) -> str:
        return _wrapped("**", children)

    def italic(self, node: Italic, children: list[str]) -> str:
        return _wrapped("*", children)

    def code(self, node: Code, children: list[str]) -> str:
        return _code(node.plain())

    def block(self, node: Block, children: list[str]) -> str:
        return "".join(children)

    def bullet_list(self, node: BulletList, items: list[str]) -> str:
        return "\n".join(f"• {item}" for item in items)

    def document(self, node: Document, blocks: list[str]) -> str:
        return "\n".join(blocks)

    def unknown(self, node: Node) -> str:
        return escape(node.plain())


def render(document: Document) -> str:
    """The document as Discord markdown (one string; :func:`split_message` cuts it)."""
    return without_lone_surrogates(_Markdown().walk(document))  # else unencodable as JSON


_ATOM = re.compile(
    r"\\.|`[^`\n]*`|\[(?:\\.|[^\\\[\]\n])*\]\(<[^<>\s]*>\)|<https?://[^\s<>]*>", re.DOTALL
)
"""What a cut must not go through: an escape, a code span, a masked link, a ``<url>`` link."""


def _cut_line(line: str, limit: int) -> tuple[str, str]:
    """An over-long line as a head of at most ``limit`` characters and the rest.

    The cut falls at a space when one is in the second half, else anywhere outside an escape,
    a code span or a link (cutting through one would let its markup spill into both pieces);
    a code span longer than the limit is closed at the cut and reopened after it.
    """
    inside: set[int] = set()
    for match in _ATOM.finditer(line):
        if match.start() > limit:
            break
        inside.update(range(match.start() + 1, match.end()))
    for cut in range(limit, limit // 2, -1):
        if line[cut] == " " and cut not in inside:
            return line[:cut], line[cut:].lstrip(" ")
    for cut in range(limit, 0, -1):
        if cut not in inside:
            return line[:cut], line[cut:]
    if line.startswith("`"):  # one code span longer than a message
        return line[: limit - 1] + "`", "`" + line[limit - 1 :]
    return line[:limit], line[limit:]


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at line breaks when possible.

    A line longer than the limit is cut at a space, else anywhere its markup stays whole
    (:func:`_cut_line`): an escape backslash is never left dangling at the end of a piece.
    """
    pieces: list[str] = []
    current = ""
    for raw_line in text.split("\n"):
        line = raw_line
        while len(line) > limit:
            head, line = _cut_line(line, limit)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()] or [""]
