"""What must hold for every reply, whatever was typed: no apology, and output that every
platform accepts and shows as written (no markup or mention escapes)."""

from __future__ import annotations

import re

from adapters.discord.render import MESSAGE_LIMIT as DISCORD_LIMIT
from adapters.discord.render import render as render_discord
from adapters.discord.render import split_message
from adapters.telegram.render import MESSAGE_LIMIT as TELEGRAM_LIMIT
from adapters.telegram.render import render_chunks, utf16_len
from bot.core.i18n import SUPPORTED_LANGUAGES, Translator
from bot.core.messages import Reply
from bot.core.sanitize import clean_name
from tests.adapters.discord.hostile import pings
from tests.fakes.telegram_html import HTMLParseError, parse_telegram_html

APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."
)
"""The router's answer to an unexpected exception (``bot/core/router.py``)."""
APOLOGIES = {Translator(language).gettext(APOLOGY) for language in SUPPORTED_LANGUAGES}

WORKING_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>|</[^\s>]+:\d+>", re.IGNORECASE)
"""Any mention Discord would turn into a ping or a link, wherever it stands (even in code)."""
_AUTOLINK = re.compile(r"<https?://[^\s<>]*>")
_MASKED_LINK = re.compile(r"\[((?:\\.|[^\\\[\]])*)\]\(<https?://[^\s<>]*>\)")
_LOOSE = "_~|<>[]()#`"
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LIST_ITEM = re.compile(r"^\s*(-|\d+\.)\s", re.MULTILINE)


def problems(reply: Reply) -> list[str]:
    """Everything wrong with ``reply``: an apology, or output a platform would refuse or show
    differently from what was written."""
    found: list[str] = []
    plain = reply.body.plain()
    if any(apology in plain for apology in APOLOGIES):
        found.append("apology")
    found += [f"telegram: {problem}" for problem in telegram_problems(reply)]
    found += [f"discord: {problem}" for problem in discord_problems(reply)]
    for attachment in reply.attachments:
        if re.search(r"[\"'\\/;\x00-\x1f\x7f]", attachment.filename) or not attachment.filename:
            found.append(f"unsafe file name {attachment.filename!r}")
    for row in reply.buttons:
        for button in row:
            if not button.label.strip() or _LONE_SURROGATE.search(button.label):
                found.append(f"button label {button.label!r}")
    for what, name in _names_shown(reply):
        if name != clean_name(name):
            found.append(f"{what} {name!r} is not a clean name")
    return found


def _names_shown(reply: Reply) -> list[tuple[str, str]]:
    """The plain-text names a platform shows outside the message: thread titles, inline
    result titles (a disguised or multi-line title would mislead there)."""
    names = [("thread title", reply.open_thread or "")]
    if reply.thread is not None and reply.thread.title:
        names.append(("thread rename", reply.thread.title))
    if reply.inline is not None:
        names.append(("inline title", reply.inline.title))
    return [(what, name) for what, name in names if name]


def telegram_problems(reply: Reply) -> list[str]:
    """What Telegram would refuse in the HTML of ``reply``, or show differently."""
    found = []
    for chunk in render_chunks(reply.body, rtl=reply.rtl):
        try:
            shown = parse_telegram_html(chunk.html)
        except HTMLParseError as error:
            found.append(f"{error}: {chunk.html[:200]!r}")
            continue
        if shown != chunk.plain:
            found.append(f"reads {shown[:80]!r}, meant {chunk.plain[:80]!r}")
        if utf16_len(chunk.plain) > TELEGRAM_LIMIT:
            found.append("longer than a message")
        chunk.html.encode()  # a lone surrogate would raise here (and in the HTTP client)
    return found


def discord_problems(reply: Reply) -> list[str]:
    """Mentions that would work, or markup that escaped its place, in the Discord markdown."""
    found = []
    for piece in split_message(render_discord(reply.body)):
        piece.encode()
        if len(piece) > DISCORD_LIMIT:
            found.append("longer than a message")
        if pings(piece) or WORKING_MENTION.search(piece):
            found.append(f"working mention in {piece[:200]!r}")
        loose = markup_outside_its_place(piece)
        if loose:
            found.append(f"loose markup {loose!r} in {piece[:200]!r}")
    return found


def markup_outside_its_place(content: str) -> str | None:
    """The first markdown character left unescaped outside the renderer's own constructs
    (code spans, ``<url>`` links, ``[label](<url>)`` links, ``*`` emphasis), else ``None``.

    Read the way Discord reads: a backslash escapes the next character, a code span runs to
    the next backtick on the line and nothing inside it is markup."""
    outside: list[str] = []
    position = 0
    while position < len(content):
        char = content[position]
        if char == "\\":
            position += 2
            outside.append(" ")
            continue
        if char == "`":
            end = content.find("`", position + 1)
            if end == -1 or "\n" in content[position:end]:
                return "`"
            position = end + 1
            outside.append("c")
            continue
        link = (_MASKED_LINK if char == "[" else _AUTOLINK).match(content, position)
        if char in "[<" and link is not None:
            if char == "[" and (inner := markup_outside_its_place(link[1])):
                return inner
            position = link.end()
            outside.append("l")
            continue
        if char in _LOOSE:
            return char
        outside.append(char)
        position += 1
    item = _LIST_ITEM.search("".join(outside))
    return item[0] if item else None
