"""One walk over the rich-text tree, shared by every renderer and the serializer.

A renderer subclasses :class:`Walker` and says what each kind of node becomes, given what its
children already became; the dispatch on node type and the order of the walk (children first,
in document order) are written here once. Every method is abstract, so a new node type is one
more method here, and a renderer that does not say what it becomes cannot be instantiated
(mypy and the first test that builds it both say so) instead of silently falling through.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Generic, TypeVar

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

T = TypeVar("T")


class Walker(ABC, Generic[T]):
    """Turns a rich-text tree into a ``T`` (a string, a list of runs, a JSON-ready dict...)."""

    def walk(self, node: Node) -> T:
        """What ``node`` becomes; its children are walked first and handed to its method."""
        match node:
            case Text():
                return self.text(node)
            case Mention():
                return self.mention(node)
            case Link():
                return self.link(node)
            case Bold():
                return self.bold(node, self._walk_all(node.children))
            case Italic():
                return self.italic(node, self._walk_all(node.children))
            case Code():
                return self.code(node, self._walk_all(node.children))
            case Block():
                return self.block(node, self._walk_all(node.children))
            case BulletList():
                return self.bullet_list(node, self._walk_all(node.items))
            case Document():
                return self.document(node, self._walk_all(node.blocks))
            case _:
                return self.unknown(node)

    def _walk_all(self, nodes: tuple[Node, ...]) -> list[T]:
        return [self.walk(node) for node in nodes]

    @abstractmethod
    def text(self, node: Text) -> T:
        """Literal user text: the renderer's escaping belongs here."""

    @abstractmethod
    def mention(self, node: Mention) -> T:
        """A member's name; never a ping."""

    @abstractmethod
    def link(self, node: Link) -> T: ...

    @abstractmethod
    def bold(self, node: Bold, children: list[T]) -> T: ...

    @abstractmethod
    def italic(self, node: Italic, children: list[T]) -> T: ...

    @abstractmethod
    def code(self, node: Code, children: list[T]) -> T:
        """Inline code; platforms that allow no formatting inside may use ``node.plain()``."""

    @abstractmethod
    def block(self, node: Block, children: list[T]) -> T:
        """A paragraph: its inline children, in order."""

    @abstractmethod
    def bullet_list(self, node: BulletList, items: list[T]) -> T: ...

    @abstractmethod
    def document(self, node: Document, blocks: list[T]) -> T:
        """A whole body: its blocks, one after the other."""

    @abstractmethod
    def unknown(self, node: Node) -> T:
        """A node type this walker does not know (a subclass of :class:`Node` from elsewhere)."""
