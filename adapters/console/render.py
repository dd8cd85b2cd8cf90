"""Rich text to plain terminal text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.core.messages import Reply
from bot.core.richtext import Block, BulletList, Document, Link, Node, Text


def render_node(node: Node) -> str:
    if isinstance(node, Text):
        return node.value
    if isinstance(node, Link):
        return node.plain()
    if isinstance(node, BulletList):
        return "\n".join(f"  • {render_node(item)}" for item in node.items)
    if isinstance(node, Block | Document):
        return (
            node.plain()
            if not isinstance(node, Block)
            else "".join(render_node(child) for child in node.children)
        )
    return node.plain()


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
