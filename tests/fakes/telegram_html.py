"""A strict checker of Telegram's HTML parse mode: what Telegram would accept, and the text
a reader then sees.

It follows https://core.telegram.org/bots/api#formatting-options (Bot API 10.1):

- only the listed tags: ``b strong i em u ins s strike del tg-spoiler``, ``span`` with exactly
  ``class="tg-spoiler"``, ``a`` with ``href``, ``tg-emoji`` with ``emoji-id``, ``tg-time`` with
  a numeric ``unix`` and an optional ``format`` matching ``r|w?[dD]?[tT]?``, ``code``, ``pre``,
  ``blockquote`` (optionally ``expandable``); no other attribute;
- a language (``class="language-…"``) only on a ``code`` directly inside ``pre``
  ("Programming language can't be specified for standalone code tags");
- every ``<``, ``>`` and ``&`` that is not part of a tag or entity is an error; only
  ``&lt; &gt; &amp; &quot;`` and numeric entities exist;
- nesting ("Message entities can be nested, providing following restrictions are met"): tags
  close in order; bold, italic, underline, strikethrough and spoiler may contain and be inside
  anything except ``pre`` and ``code``; ``blockquote`` is never inside another ``blockquote``
  (nor inside an inline entity); the other entities (``a``, ``code``, ``pre``, ``tg-emoji``,
  ``tg-time``) never contain each other, except the ``code`` that gives a ``pre`` its language.

The last rule is read as Telegram applies it: a quotation may hold links and code (Telegram's
own clients send those). Being stricter than Telegram is fine: the renderer must pass it.
"""

from __future__ import annotations

import re

ALLOWED_TAGS = {
    "b": (),
    "strong": (),
    "i": (),
    "em": (),
    "u": (),
    "ins": (),
    "s": (),
    "strike": (),
    "del": (),
    "tg-spoiler": (),
    "span": ("class",),
    "a": ("href",),
    "code": ("class",),
    "pre": (),
    "blockquote": ("expandable",),
    "tg-emoji": ("emoji-id",),
    "tg-time": ("unix", "format"),
}
FORMATTING = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span"}
"""Entities that may contain, and be part of, any other (except inside pre and code)."""
QUOTES = {"blockquote"}
ATOMIC = {"a", "code", "pre", "tg-emoji", "tg-time"}
"""Entities that never contain each other (``pre > code`` is one entity with a language)."""
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([a-z][a-z-]*)((?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
_ATTR = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-z]+);")
_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]+")


class HTMLParseError(ValueError):
    """What Telegram would answer: ``Bad Request: can't parse entities: ...``."""


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    if name in NAMED_ENTITIES:
        return NAMED_ENTITIES[name]
    raise HTMLParseError(f"unsupported entity &{name};")


def _check_attributes(name: str, found: dict[str, str], stack: list[str]) -> None:
    unknown = set(found) - set(ALLOWED_TAGS[name])
    if unknown:
        raise HTMLParseError(f"unsupported attribute {sorted(unknown)} in <{name}>")
    if name == "a" and not found.get("href"):
        raise HTMLParseError("<a> needs href")
    if name == "span" and found.get("class") != "tg-spoiler":
        raise HTMLParseError('<span> must have class="tg-spoiler"')
    if name == "tg-emoji" and not found.get("emoji-id", "").isdigit():
        raise HTMLParseError("<tg-emoji> needs a numeric emoji-id")
    if name == "tg-time":
        if not found.get("unix", "").isdigit():
            raise HTMLParseError("<tg-time> needs a numeric unix time")
        if not _TIME_FORMAT.fullmatch(found.get("format", "")):
            raise HTMLParseError(f"invalid <tg-time> format {found.get('format')!r}")
    if name == "code" and "class" in found:
        if not stack or stack[-1] != "pre":
            raise HTMLParseError("a language can't be specified for a standalone <code>")
        if not _LANGUAGE.fullmatch(found["class"]):
            raise HTMLParseError(f"invalid code class {found['class']!r}")


def _check_nesting(name: str, stack: list[str]) -> None:
    """May ``name`` open inside the open tags ``stack`` (outermost first)?"""
    if not stack:
        return
    inner = stack[-1]
    if inner == "code" or (inner == "pre" and name != "code"):
        raise HTMLParseError(f"<{name}> inside <{inner}>")
    if name == "code" and inner == "pre":
        return  # the pre's language: one entity
    if name in QUOTES and any(open_ in QUOTES | ATOMIC for open_ in stack):
        raise HTMLParseError(f"<{name}> can't be nested in <{stack[-1]}>")
    if name in ATOMIC:
        enclosing = [open_ for open_ in stack if open_ in ATOMIC]
        if enclosing:
            raise HTMLParseError(f"<{name}> can't be nested in <{enclosing[-1]}>")


def parse_telegram_html(source: str) -> str:
    """The plain text Telegram shows for ``source``; raise :class:`HTMLParseError` if refused."""
    plain: list[str] = []
    stack: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            tag = _TAG.match(source, position)
            if tag is None:
                raise HTMLParseError(f"unsupported start tag at byte offset {position}")
            closing, name, attributes = tag.group(1), tag.group(2), tag.group(3)
            if name not in ALLOWED_TAGS:
                raise HTMLParseError(f'unsupported start tag "{name}"')
            if closing:
                if not stack or stack[-1] != name:
                    raise HTMLParseError(f'unexpected end tag "{name}"')
                stack.pop()
            else:
                _check_attributes(name, dict(_ATTR.findall(attributes)), stack)
                _check_nesting(name, stack)
                stack.append(name)
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(source, position)
            if entity is None:
                raise HTMLParseError(f"can't find end of the entity at {position}")
            plain.append(_entity(entity))
            position = entity.end()
        elif char == ">":
            raise HTMLParseError(f"unexpected > at {position}")
        else:
            plain.append(char)
            position += 1
    if stack:
        raise HTMLParseError(f'can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(plain)
