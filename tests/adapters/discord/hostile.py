"""Hostile text, and how to read back what Discord would show."""

from __future__ import annotations

import re

HOSTILE = (
    "@everyone @here <@&123456789012345678> <@123456789012345678> "
    "**not bold** _not italic_ `tick` ~~strike~~ ||spoiler|| > quote # heading "
    "[link](https://evil.example) \\ backslash مرحبا بالجميع في شبكة البطلات"
)


def as_read(content: str) -> str:
    """What a reader sees: markdown escapes resolved, zero-width spaces invisible."""
    return re.sub(r"\\(.)", r"\1", content, flags=re.DOTALL).replace("\u200b", "")


def pings(content: str) -> bool:
    """Would Discord parse a mention here if allowed_mentions let it?"""
    return bool(re.search(r"(?<!\\)@(everyone|here)|<@[&!]?\d+>", content))
