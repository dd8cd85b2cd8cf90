"""A tiny rich-text tree that every adapter renders with its own escaping.

Handlers never build platform markup. They build nodes; user text always lives in
:class:`Text` leaves, which renderers escape, so no user input can break Markdown or HTML
or ping anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Node:
    """Base class of every rich-text node."""

    def plain(self) -> str:
        """The text a reader would see, without any formatting."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Node):
    """Literal text; always escaped when rendered."""

    value: str

    def plain(self) -> str:
        return self.value


@dataclass(frozen=True)
class _Container(Node):
    children: tuple[Node, ...] = ()

    def plain(self) -> str:
        return "".join(child.plain() for child in self.children)


class Bold(_Container):
    """Strong emphasis."""


class Italic(_Container):
    """Light emphasis."""


class Code(_Container):
    """Inline code (ids, commands to type)."""


class Block(_Container):
    """A paragraph; blocks are separated by a line break when rendered."""


@dataclass(frozen=True)
class Link(Node):
    """A hyperlink; ``label`` is user-visible text, ``url`` is escaped as an attribute."""

    label: str
    url: str

    def plain(self) -> str:
        return f"{self.label} ({self.url})" if self.label != self.url else self.url


@dataclass(frozen=True)
class Mention(Node):
    """A reference to a member by display name. Rendered as text, never as a ping."""

    name: str

    def plain(self) -> str:
        return self.name


@dataclass(frozen=True)
class BulletList(Node):
    """A list of items, one per line."""

    items: tuple[Node, ...] = field(default_factory=tuple)

    def plain(self) -> str:
        return "\n".join(f"• {item.plain()}" for item in self.items)


Inline = Node | str


def _node(part: Inline) -> Node:
    return Text(part) if isinstance(part, str) else part


def _nodes(parts: Iterable[Inline]) -> tuple[Node, ...]:
    return tuple(_node(p) for p in parts)


def bold(*parts: Inline) -> Bold:
    return Bold(_nodes(parts))


def italic(*parts: Inline) -> Italic:
    return Italic(_nodes(parts))


def code(*parts: Inline) -> Code:
    return Code(_nodes(parts))


def line(*parts: Inline) -> Block:
    """One paragraph made of inline parts; plain strings become escaped text."""
    return Block(_nodes(parts))


def bullets(items: Iterable[Inline]) -> BulletList:
    return BulletList(_nodes(items))


@dataclass(frozen=True)
class Document(Node):
    """A whole message body: a sequence of blocks."""

    blocks: tuple[Node, ...] = ()

    def plain(self) -> str:
        return "\n".join(block.plain() for block in self.blocks)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.blocks)


def doc(*blocks: Inline) -> Document:
    """Build a document; a plain string becomes a paragraph of escaped text."""
    return Document(tuple(Block((Text(b),)) if isinstance(b, str) else b for b in blocks))
