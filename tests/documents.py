"""Read exported documents back as a browser or a Markdown editor would: their shape and text.

The shape is the sequence of elements (HTML tags, Markdown tokens such as headings, list items,
strong spans, links) without the text; two documents made from the same template have the same
shape whatever the members typed, unless a member's text was able to add or remove markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_TEXT = {"text", "text_special", "softbreak"}


def markdown_shape(source: str) -> list[str]:
    """Block and inline token types, text left out."""
    shape = []
    for token in MARKDOWN.parse(source):
        shape.append(f"{token.type}:{token.tag}")
        for child in token.children or ():
            if child.type not in _TEXT:
                shape.append(f"  {child.type}:{child.tag}")
    return shape


def markdown_texts(source: str) -> list[str]:
    """The runs of text a reader sees, split wherever markup starts or ends."""
    runs: list[str] = []
    for token in MARKDOWN.parse(source):
        current = ""
        for child in token.children or ():
            if child.type in _TEXT:
                current += child.content if child.type != "softbreak" else "\n"
            else:
                runs.append(current)
                current = ""
        if token.children is not None:
            runs.append(current)
    return [run for run in runs if run]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[str] = []
        self.texts: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append(f"<{tag} {' '.join(name for name, _ in attrs)}>")
        self.attributes += [f"{name}={value}" for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        self.shape.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append(data)


def html_read(page: str) -> tuple[list[str], list[str], list[str]]:
    """The tags (with their attribute names), the text runs and the attribute values."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.shape, reader.texts, reader.attributes
