"""Rich text to plain terminal text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.core.messages import Reply
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


class _Terminal(Walker[str]):
    """Plain text; lists are indented so they stand out from the paragraphs around them.

    Formatting cannot be shown in a terminal, so a bold, italic or code span, and a document
    nested in another, read as their plain text.
    """

    def text(self, node: Text) -> str:
        return node.value

    def mention(self, node: Mention) -> str:
        return node.plain()

    def link(self, node: Link) -> str:
        return node.plain()

    def bold(self, node: Bold, children: list[str]) -> str:
        return node.plain()

    def italic(self, node: Italic, children: list[str]) -> str:
        return node.plain()

    def code(self, node: Code, children: list[str]) -> str:
        return node.plain()

    def block(self, node: Block, children: list[str]) -> str:
        return "".join(children)

    def bullet_list(self, node: BulletList, items: list[str]) -> str:
        return "\n".join(f"  • {item}" for item in items)

    def document(self, node: Document, blocks: list[str]) -> str:
        return node.plain()

    def unknown(self, node: Node) -> str:
        return node.plain()


def render_node(node: Node) -> str:
    """One node as terminal text."""
    return _Terminal().walk(node)


def render_reply(reply: Reply, saved: Mapping[str, Path] | None = None) -> list[str]:
    """The lines of a reply as a terminal shows them, buttons included; a file is shown by
    the full path it was ``saved`` at, so the reader can open it."""
    lines: list[str] = []
    for block in reply.body.blocks:
        lines.extend(render_node(block).splitlines() or [""])
    for row in reply.buttons:
        lines.append("  " + " ".join(f"[{button.label}]" for button in row))
    for attachment in reply.attachments:
        where = (saved or {}).get(attachment.filename, attachment.filename)
        lines.append(f"  (file: {where}, {len(attachment.data)} bytes)")
    return lines
