"""The words of typed text, split as a shell would: quotes group words, an unbalanced quote is
kept as typed, and what follows a word stays exactly as typed.

Kept apart from the argument parsers because the router, subcommands and several features split
typed text into words without parsing any argument.
"""

from __future__ import annotations

import io
import shlex

_QUOTES = {'"': '"', "'": "'", "“": "”", "«": "»"}


def take_word(text: str) -> tuple[str, str]:
    """The first word of ``text`` and the rest exactly as typed.

    Quotes group words like a shell (``title:"Gender budgeting"`` is one word), typographic
    quotes too when they open the word; an unbalanced quote is kept as typed.
    """
    text = text.lstrip()
    if not text:
        return "", ""
    closing = _QUOTES.get(text[0])
    if closing is not None and closing != text[0]:
        end = text.find(closing, 1)
        if end != -1:
            return text[1:end], text[end + 1 :].lstrip()
    stream = io.StringIO(text)
    lexer = shlex.shlex(stream, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        word = lexer.get_token() or ""
    except ValueError:  # an unbalanced quote: take the word as typed
        parts = text.split(None, 1)
        return parts[0], parts[1] if len(parts) > 1 else ""
    return word, text[stream.tell() :].lstrip()


def drop_words(text: str, count: int) -> str:
    """``text`` without its first ``count`` words, keeping the rest exactly as typed."""
    rest = text.lstrip()
    for _ in range(max(count, 0)):
        parts = rest.split(None, 1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest


def split_words(text: str) -> list[str]:
    """Every word of ``text``; quotes group words, an unbalanced quote is kept as typed."""
    words = []
    rest = text
    while rest.strip():
        word, rest = take_word(rest)
        words.append(word)
    return words
