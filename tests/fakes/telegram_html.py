"""A strict checker of Telegram's HTML parse mode: what Telegram would accept, and the text
a reader then sees.

It follows https://core.telegram.org/bots/api#html-style: only the listed tags, ``<a>`` needs
``href``, every ``<``, ``>`` and ``&`` that is not part of a tag or entity is an error, only
``&lt; &gt; &amp; &quot;`` and numeric entities exist, tags nest properly and no entity lives
inside ``<code>``/``<pre>`` (except ``<code>`` in ``<pre>``). Being stricter than Telegram is
fine: the renderer must pass it.
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
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([a-z][a-z-]*)((?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
_ATTR = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-z]+);")


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
                found = dict(_ATTR.findall(attributes))
                unknown = set(found) - set(ALLOWED_TAGS[name])
                if unknown:
                    raise HTMLParseError(f"unsupported attribute {sorted(unknown)} in <{name}>")
                if name == "a" and not found.get("href"):
                    raise HTMLParseError("<a> needs href")
                if stack and stack[-1] == "pre" and name != "code":
                    raise HTMLParseError(f"<{name}> inside <pre>")
                if stack and stack[-1] == "code":
                    raise HTMLParseError(f"<{name}> inside <code>")
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
