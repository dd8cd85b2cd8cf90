"""Text that cannot hurt: what the core accepts from people before anything else reads it.

Platforms hand the bot whatever a person typed or named themselves. Some of it cannot be stored
(PostgreSQL refuses the NUL character in text), cannot be encoded (a lone UTF-16 surrogate has no
UTF-8 or UTF-16 form, so renderers and HTTP clients fail on it), or disguises what a reader sees
(a right-to-left override turns ``exe.txt`` into ``txt.exe`` on screen, and an override left
open reverses the bot's own words that follow it on the line).

Two levels, applied at the edge of the core (``Actor``, ``Place``, ``Request`` and
``SuggestionQuery`` clean their text when built, so every adapter benefits):

- :func:`clean_text` for anything typed (commands, answers, bios): lone surrogates become U+FFFD,
  line breaks are normalised to ``\\n``, C0/C1 control characters other than newline and tab
  go, and so do the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) and U+FEFF. Plain right-to-left and left-to-right *marks* (U+200E, U+200F,
  U+061C) stay: they have no scope, cannot reverse anything, and Arabic writers use them to
  place punctuation and Latin words correctly.
- :func:`clean_name` for what names someone or something (display names, chat titles, event
  and resource titles, question titles that become forum topics, file names): the above, then
  every invisible formatting character that could make two different names look the same
  (the marks above, zero-width space, word joiner, invisible operators, Hangul fillers), and
  all runs of white space collapse to one space. Zero-width joiner and non-joiner (U+200C,
  U+200D) stay: Persian and Arabic spelling and emoji sequences need them.

Both strip rather than refuse: a platform display name is not the person's choice to make again
on our side, and a silent, predictable rule is kinder than an error about an invisible character.
"""

from __future__ import annotations

import re

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_UNSAFE_IN_TEXT = re.compile(
    "["
    "\x00-\x08\x0b-\x1f\x7f"  # C0 controls except tab and newline, DEL
    "\x80-\x9f"  # C1 controls
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO: embeddings and overrides
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI: isolates
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\ufff9-\ufffb"  # interlinear annotation controls
    "]"
)
_INVISIBLE_IN_NAMES = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers (render as nothing)
    "\u17b4\u17b5"  # Khmer inherent vowels (invisible)
    "\u180b-\u180f"  # Mongolian variation selectors and vowel separator
    "\u200b"  # zero-width space
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u206a-\u206f"  # deprecated format characters
    "]"
)
_SPACES = re.compile(r"\s+")


def without_lone_surrogates(value: str) -> str:
    """``value`` with every lone UTF-16 surrogate replaced by U+FFFD: encodable in UTF-8 and
    UTF-16 (renderers use this on their output, whatever its origin)."""
    return value if value.isascii() else _LONE_SURROGATE.sub("\ufffd", value)


def clean_text(value: str) -> str:
    """``value`` without what cannot be stored, encoded or trusted on screen (module doc)."""
    if value.isascii() and value.isprintable():
        return value
    return _UNSAFE_IN_TEXT.sub("", _NEWLINES.sub("\n", without_lone_surrogates(value)))


def clean_name(value: str) -> str:
    """``value`` as a name: :func:`clean_text`, no invisible formatting, one line, trimmed."""
    text = clean_text(value)
    if not text.isascii():
        text = _INVISIBLE_IN_NAMES.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_options(options: dict[str, str] | None) -> dict[str, str] | None:
    """Slash-command options with each name and value cleaned as typed text."""
    if options is None:
        return None
    return {clean_text(str(key)): clean_text(str(value)) for key, value in options.items()}


_UNSAFE_IN_FILENAME = re.compile(r"[^\w.\- ]+")
MAX_FILENAME_LENGTH = 120


def safe_filename(value: str) -> str:
    """A bare file name every platform uploads as is: the last path part of ``value`` as a name
    (:func:`clean_name`), anything but letters, digits, ``._-`` and spaces turned into ``_``
    (no quote, semicolon or line break can reach a ``Content-Disposition`` header), no leading
    dot, at most :data:`MAX_FILENAME_LENGTH` characters with the extension kept."""
    name = clean_name(value).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_IN_FILENAME.sub("_", name).lstrip(". ").rstrip(" ")
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10 and stem:
            name = stem[: MAX_FILENAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name or "file"
