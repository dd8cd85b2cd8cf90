"""The core's rich text as Telegram HTML, split into messages Telegram accepts.

Every piece of text goes through :func:`html.escape`, so nothing a user typed can open a tag
or an entity: Telegram can never answer "can't parse entities". A message holds at most 4096
characters *after* entity parsing (counted in UTF-16 code units, as Telegram counts them), so
long documents are split on line boundaries; a single line longer than that is cut between
characters (preferably after a space). Each chunk closes every tag it opens, so a cut never
lands inside a tag or an entity.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import NamedTuple

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

MESSAGE_LIMIT = 4096
"""Telegram's limit on a message's text, after entity parsing."""

RLM = "\u200f"
"""Right-to-left mark: starts each line of an Arabic reply so clients align it right."""

_SAFE_SCHEMES = ("http://", "https://", "tg://")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: most emoji count two)."""
    if text.isascii():  # one unit a character: the common case, without encoding
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class Run(NamedTuple):
    """Some plain text and the tags (opening HTML) around it, outermost first (a tuple:
    a long reply makes thousands of them)."""

    text: str
    tags: tuple[str, ...] = ()

    def html(self) -> str:
        closing = "".join(f"</{_tag_name(tag)}>" for tag in reversed(self.tags))
        return "".join(self.tags) + html.escape(self.text, quote=False) + closing


def _tag_name(opening: str) -> str:
    return opening[1:].split(" ", 1)[0].rstrip(">")


def _wrapped(tag: str, children: list[list[Run]]) -> list[Run]:
    """The children's runs inside one more tag (outermost first, so it goes in front)."""
    return [Run(run.text, (tag, *run.tags)) for runs in children for run in runs]


def _joined(parts: list[list[Run]], prefix: str = "") -> list[Run]:
    """Parts one per line, each after ``prefix`` (a bullet)."""
    runs: list[Run] = []
    for index, part in enumerate(parts):
        if index:
            runs.append(Run("\n"))
        if prefix:
            runs.append(Run(prefix))
        runs.extend(part)
    return runs


class _Runs(Walker[list[Run]]):
    """Flattens a node into runs of text with their enclosing tags."""

    def text(self, node: Text) -> list[Run]:
        return [Run(node.value)]

    def mention(self, node: Mention) -> list[Run]:
        return [Run(node.name)]  # a name, never a ping

    def link(self, node: Link) -> list[Run]:
        if not node.url.lower().startswith(_SAFE_SCHEMES):
            return [Run(node.plain())]
        href = html.escape(node.url, quote=True)
        return [Run(node.label if node.label.strip() else node.url, (f'<a href="{href}">',))]

    def bold(self, node: Bold, children: list[list[Run]]) -> list[Run]:
        return _wrapped("<b>", children)

    def italic(self, node: Italic, children: list[list[Run]]) -> list[Run]:
        return _wrapped("<i>", children)

    def code(self, node: Code, children: list[list[Run]]) -> list[Run]:
        # Telegram allows no entity inside <code>: its children become plain text.
        return [Run(node.plain(), ("<code>",))]

    def block(self, node: Block, children: list[list[Run]]) -> list[Run]:
        return [run for runs in children for run in runs]

    def bullet_list(self, node: BulletList, items: list[list[Run]]) -> list[Run]:
        return _joined(items, prefix="• ")

    def document(self, node: Document, blocks: list[list[Run]]) -> list[Run]:
        return _joined(blocks)

    def unknown(self, node: Node) -> list[Run]:
        return [Run(node.plain())]  # its plain text is always safe


def _lines(document: Document) -> list[list[Run]]:
    """The document as lines of runs; no run contains a line break."""
    lines: list[list[Run]] = [[]]
    for run in _Runs().walk(document):
        # A lone surrogate has no UTF-16 form: it could be neither counted nor sent.
        pieces = without_lone_surrogates(run.text).split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Run(piece, run.tags))
    return lines


def _line_length(line: list[Run]) -> int:
    return sum(utf16_len(run.text) for run in line)


def _cut(text: str, budget: int) -> int:
    """How many characters of ``text`` fit in ``budget`` UTF-16 units, ending after a space
    when one is near the end (so words stay whole)."""
    used = 0
    count = 0
    for char in text:
        size = utf16_len(char)
        if used + size > budget:
            break
        used += size
        count += 1
    if count < len(text):
        space = text.rfind(" ", 0, count)
        if space >= count // 2:
            return space + 1
    return count


def _split_line(line: list[Run], limit: int) -> list[list[Run]]:
    """Cut one over-long line into pieces that each fit in ``limit``."""
    pieces: list[list[Run]] = [[]]
    room = limit
    queue = list(line)
    while queue:
        run = queue.pop(0)
        size = utf16_len(run.text)
        if size <= room:
            pieces[-1].append(run)
            room -= size
            continue
        count = _cut(run.text, room)
        if count == 0:
            pieces.append([])
            room = limit
            queue.insert(0, run)
            continue
        pieces[-1].append(Run(run.text[:count], run.tags))
        queue.insert(0, Run(run.text[count:], run.tags))
        pieces.append([])
        room = limit
    return [piece for piece in pieces if piece]


@dataclass(frozen=True)
class Chunk:
    """One message's worth: its HTML and the text a reader sees."""

    html: str
    plain: str


def _chunk(lines: list[list[Run]], rtl: bool) -> Chunk:
    prefix = RLM if rtl else ""
    return Chunk(
        html="\n".join(prefix + "".join(run.html() for run in line) for line in lines),
        plain="\n".join(prefix + "".join(run.text for run in line) for line in lines),
    )


def render_chunks(
    document: Document, *, rtl: bool = False, limit: int = MESSAGE_LIMIT
) -> list[Chunk]:
    """The document as Telegram HTML messages, each within ``limit`` after parsing.

    Chunks that would be blank are dropped: Telegram refuses an empty message.
    """
    extra = 1 if rtl else 0
    lines: list[tuple[list[Run], int]] = []  # each line with its length
    for line in _lines(document):
        length = _line_length(line)
        if length + extra > limit:
            lines.extend((piece, _line_length(piece)) for piece in _split_line(line, limit - extra))
        else:
            lines.append((line, length))
    chunks: list[list[list[Run]]] = [[]]
    size = 0
    for line, length in lines:
        needed = length + extra + (1 if chunks[-1] else 0)
        if chunks[-1] and size + needed > limit:
            chunks.append([])
            needed -= 1
            size = 0
        chunks[-1].append(line)
        size += needed
    rendered = [_chunk(group, rtl) for group in chunks]
    return [chunk for chunk in rendered if chunk.plain.replace(RLM, "").strip()]


def render_html(document: Document, *, rtl: bool = False) -> str:
    """The whole document as one HTML string (no splitting): for captions and tests."""
    return _chunk(_lines(document), rtl).html
