"""The core's rich text as Discord markdown, with every piece of user text escaped.

User text sits in :class:`Text` leaves: markdown characters are backslash-escaped and mentions
(``@everyone``, ``<@&role>``, ``<@user>``) are broken with a zero-width space, so it reads as
typed and can never ping. Messages are cut at line boundaries to fit Discord's 2000 characters.
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
from bot.core.walker import Walker

MESSAGE_LIMIT = 2000
"""Discord's documented limit on a bot message's content."""


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


def _code(text: str) -> str:
    # Inside backticks markdown is inert; a backtick itself cannot be escaped, so swap it.
    return "`" + text.replace("`", "ˋ").replace("\n", " ") + "`" if text else ""


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
        url = node.url.replace(")", "%29").replace(" ", "%20")
        if node.label == node.url:
            return f"<{url}>"
        return f"[{escape(node.label)}](<{url}>)"

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
    return _Markdown().walk(document)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at line breaks when possible.

    A line longer than the limit is cut at a space, else hard; an escape backslash is never
    left dangling at the end of a piece.
    """
    pieces: list[str] = []
    current = ""
    for raw_line in text.split("\n"):
        line = raw_line
        while len(line) > limit:
            cut = line.rfind(" ", limit // 2, limit)
            cut = cut if cut > 0 else limit
            while cut > 1 and line[cut - 1] == "\\":
                cut -= 1
            head, line = line[:cut], line[cut:].lstrip(" ")
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
