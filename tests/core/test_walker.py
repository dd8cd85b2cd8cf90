"""The one rich-text walk: every node reaches its own method, children first, in order."""

from __future__ import annotations

import json
from abc import ABCMeta
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.console.render import render_node as console_render
from adapters.discord.render import render as discord_render
from adapters.telegram.render import render_html
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
    bold,
    bullets,
    code,
    doc,
    italic,
    line,
)
from bot.core.serialize import node_from_data, node_to_data
from bot.core.walker import Walker


class Outline(Walker[str]):
    """Names every node with what its children became: the shape of the walk, readable."""

    def text(self, node: Text) -> str:
        return repr(node.value)

    def mention(self, node: Mention) -> str:
        return f"@{node.name}"

    def link(self, node: Link) -> str:
        return f"link({node.label})"

    def bold(self, node: Bold, children: list[str]) -> str:
        return f"bold({', '.join(children)})"

    def italic(self, node: Italic, children: list[str]) -> str:
        return f"italic({', '.join(children)})"

    def code(self, node: Code, children: list[str]) -> str:
        return f"code({', '.join(children)})"

    def block(self, node: Block, children: list[str]) -> str:
        return f"block({', '.join(children)})"

    def bullet_list(self, node: BulletList, items: list[str]) -> str:
        return f"list({', '.join(items)})"

    def document(self, node: Document, blocks: list[str]) -> str:
        return f"doc({', '.join(blocks)})"

    def unknown(self, node: Node) -> str:
        return "?"


class Stranger(Node):
    def plain(self) -> str:
        return "<b>*stranger*</b> @everyone"


def test_each_node_reaches_its_own_method_with_its_children_in_order() -> None:
    document = doc(
        line(bold("a", italic("b", Mention("Amina"))), code("c"), Link("hub", "https://h.org")),
        bullets(["one", bold("two")]),
        Stranger(),
    )
    assert Outline().walk(document) == (
        "doc(block(bold('a', italic('b', @Amina)), code('c'), link(hub)), "
        "list('one', bold('two')), ?)"
    )


def test_a_walker_that_forgets_a_node_type_cannot_be_built() -> None:
    methods = {name: f for name, f in vars(Outline).items() if name[0] != "_" and name != "mention"}
    forgetful = ABCMeta("Forgetful", (Walker,), methods)  # type(Outline), as a walker's class
    with pytest.raises(TypeError, match="mention"):
        forgetful()


def test_unknown_nodes_read_as_their_plain_text_and_stay_inert() -> None:
    document = doc(line("x ", Stranger()))
    assert render_html(document) == "x &lt;b&gt;*stranger*&lt;/b&gt; @everyone"
    assert discord_render(document) == "x \\<b\\>\\*stranger\\*\\</b\\> @\u200beveryone"
    assert console_render(document) == "x <b>*stranger*</b> @everyone"
    with pytest.raises(TypeError, match="cannot serialize rich-text node Stranger"):
        node_to_data(document)


def _of_kind(kind: Callable[[tuple[Node, ...]], Node]) -> Callable[[list[Node]], Node]:
    """A container node of ``kind`` around the parts Hypothesis drew."""
    return lambda parts: kind(tuple(parts))


texts = st.text(max_size=40)
nodes: st.SearchStrategy[Node] = st.recursive(
    texts.map(Text) | texts.map(Mention) | st.tuples(texts, texts).map(lambda p: Link(*p)),
    lambda children: st.one_of(
        *(
            st.lists(children, max_size=3).map(_of_kind(kind))
            for kind in (Bold, Italic, Code, Block, BulletList, Document)
        )
    ),
    max_leaves=15,
)


@settings(max_examples=100, deadline=None)
@given(nodes)
def test_any_tree_survives_the_serializer(node: Node) -> None:
    assert node_from_data(json.loads(json.dumps(node_to_data(node)))) == node
