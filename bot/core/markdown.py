"""The one Markdown writer for documents: exports for the hub website and the newsletter.

:func:`escape` makes member text read exactly as typed in CommonMark (and in GitHub-flavoured
Markdown, which newsletter tools paste into) while adding a backslash only where one is needed:
"2026-11-27", "(LGAs)", "Q&A" and "e.g." come out as typed, but ``*``, ``_``, backticks,
brackets, raw HTML, entities, table pipes, strikethrough tildes and the markers that open a
block at the start of a line (``# ``, ``> ``, ``- ``, ``1. ``) cannot change the document.

This is not the Discord renderer's escaping (adapters/discord/render.py): a chat message is
cut anywhere into pieces and must never ping, so it escapes every markdown character.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote

_ENTITY = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
"""An ``&`` that starts an entity or character reference ("&amp;", "&#42;"); "Q&A" is text."""

_BLOCK_START = re.compile(
    r"""^(?:
        \#{1,6}(?=\s|$)      # an ATX heading
      | >                   # a block quote
      | [-+](?=\s|$)        # a bullet list item
      | -(?=[-\s]*$)        # a thematic break, or a setext heading's underline
      | =+$                 # a setext heading's underline
      | \d{1,9}(?=[.)](\s|$))  # an ordered list item: the dot after the digits is escaped
    )""",
    re.VERBOSE,
)

_CLOSING_HASHES = re.compile(r"(?<=\s)#+$")
"""A heading's optional closing sequence (``## Title ##``): it would vanish, so escape it."""


def escape(text: str, *, line_start: bool = True) -> str:
    """``text`` as Markdown inline content that reads exactly as typed.

    White space, line breaks included, collapses to single spaces, so one value never opens a
    new block. With ``line_start`` (a paragraph, a heading, a list item's first word) the
    markers that would open a block there are escaped too; pass ``line_start=False`` for a
    value in the middle of a line (after ``**Name**: ``, inside a link's text), where they are
    plain text.
    """
    text = " ".join(text.split())
    escaped = _NEEDS_BACKSLASH.sub(r"\\\g<0>", text) if _SPECIAL.search(text) else text
    if line_start:
        escaped = _escape_block_start(escaped)
    if escaped.endswith("#"):
        escaped = _CLOSING_HASHES.sub(lambda hashes: "\\" + hashes.group(), escaped)
    return escaped


_SPECIAL = re.compile(r"[*`\[\]|~\\_<&]")
"""A character that may need a backslash: most values have none and are returned as they are."""

_NEEDS_BACKSLASH = re.compile(
    "|".join(
        (
            r"[*`\[\]|~]",  # emphasis, code spans, links, table cells, strikethrough
            r"\\(?=[" + re.escape(string.punctuation) + r"]|\Z)",  # before punctuation, or last
            r"(?<![^\W_])_|_(?![^\W_])",  # "_" not between two letters or digits ("snake_case")
            r"<(?=[A-Za-z/!?]|\Z)",  # raw HTML and autolinks start with a letter, "/", "!", "?"
            _ENTITY.pattern,  # an "&" that starts an entity or character reference
        )
    )
)
"""Whether a character could start or end some markup where it stands: one pass of the
regular expression engine instead of a Python test per character (210,000 values in a 30k
profile export: 46 s of profiled CPU went to the per-character loop). ``[^\\W_]`` is exactly
``str.isalnum``."""


def _escape_block_start(text: str) -> str:
    marker = _BLOCK_START.match(text)
    if marker is None:
        return text
    if marker.group()[0].isdigit():  # "1. " and "1) ": the dot or parenthesis is the marker
        end = marker.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


_UNSAFE_IN_URL = re.compile(r"[\s<>\\]")


def url(address: str) -> str:
    """A link destination as ``<address>``, which keeps parentheses in it safe; the few
    characters that would end or bend that form (white space, ``<``, ``>``, backslash) are
    percent-encoded."""
    return "<" + _UNSAFE_IN_URL.sub(lambda char: quote(char.group()), address) + ">"
