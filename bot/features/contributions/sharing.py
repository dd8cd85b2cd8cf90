"""Reading a share (``/share <link> <title> theme:… type:… lang:… region:…``) into checked
values, the same on Telegram (one line) and Discord (the form's boxes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.core.arguments import split_words
from bot.core.errors import UsageError
from bot.core.i18n import N_, Plural
from bot.features.contributions.files import title_from
from bot.features.hub import taxonomy
from bot.features.hub.records import MAX_TITLE, RecordError, clean
from bot.features.hub.service import FILTER_KEYS

MAX_SUMMARY = 1000
SUMMARY_KEYS = {"summary": "summary", "résumé": "summary", "resumen": "summary", "ملخص": "summary"}
TAG_HELP = N_("Add theme:…, type:…, lang:… or region:… after the title if you like.")


@dataclass
class Share:
    """What a contributor typed, read: the link, the title, and the tags she gave."""

    url: str | None
    title: str
    summary: str = ""
    type: str | None = None
    themes: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def looks_like_link(word: str) -> bool:
    parts = urlsplit(word.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_tag(word: str) -> bool:
    """``theme:quotas``, ``région:global``, ``summary:"…"``: a tag, not a word of the title."""
    name, colon, _value = word.partition(":")
    if not colon or looks_like_link(word):
        return False
    return name.casefold() in FILTER_KEYS or name.casefold() in SUMMARY_KEYS


def _codes(kind: str, value: str) -> list[str]:
    return taxonomy.codes_listed(kind, value)


def read_share(link: str | None, details: str | None, file: str | None = None) -> Share:
    """``link`` (one word) and ``details`` (the title, then any tags) → a :class:`Share`.

    A first word that is not a link is part of the title (``/share A guide https://…`` works
    too: the link may stand anywhere). With a ``file`` (its name) there is no link (its
    address comes once it is stored) and the title may be left out: the file's name is used.
    """
    words = ([link] if link else []) + split_words(details or "")
    url: str | None = None
    title: list[str] = []
    share = Share(url=None, title="")
    for word in words:
        name, colon, value = word.partition(":")
        key = FILTER_KEYS.get(name.casefold()) if colon and not looks_like_link(word) else None
        summary_key = SUMMARY_KEYS.get(name.casefold()) if colon else None
        if key == "theme":
            share.themes += [c for c in _codes("theme", value) if c not in share.themes]
        elif key == "region":
            share.regions += [c for c in _codes("region", value) if c not in share.regions]
        elif key == "lang":
            share.languages += [c for c in _codes("lang", value) if c not in share.languages]
        elif key == "type":
            share.type = _codes("type", value)[0]
        elif summary_key:
            share.summary = value.strip()[:MAX_SUMMARY]
        elif url is None and looks_like_link(word):
            url = word.strip()
        else:
            title.append(word)
    share.url = url
    share.title = " ".join(" ".join(title).split())
    if file is not None:
        if url is not None:
            raise UsageError(N_("Please share either a link or a file, not both."))
        share.title = share.title or title_from(file)
    elif url is None:
        raise UsageError(N_("Please give the link to the resource, starting with https://."))
    if not share.title:
        raise UsageError(N_("Please give the resource a title after its link."))
    if len(share.title) > MAX_TITLE:
        raise UsageError(
            Plural(
                "The title is too long: {count} character, at most {limit}.",
                "The title is too long: {count} characters, at most {limit}.",
                len(share.title),
            ),
            limit=MAX_TITLE,
        )
    return share


def edited_share(details: str, title: str, url: str | None) -> Share:
    """What an edit gives: tags alone keep the title, and no link keeps the link (a shared
    file's address too)."""
    words = split_words(details)
    has_link = any(looks_like_link(word) for word in words)
    has_title = any(not looks_like_link(word) and not is_tag(word) for word in words)
    return read_share(None if has_link else url, details if has_title else f'"{title}" {details}')


def catalogue_values(share: Share, source: str) -> dict[str, Any]:
    """The values the hub's catalogue takes, checked by the hub's own rules (url, type...)."""
    values = {
        "title": share.title,
        "summary": share.summary,
        "url": share.url,
        "type": share.type or "",
        "themes": share.themes,
        "regions": share.regions,
        "languages": share.languages,
        "source": source,
    }
    try:
        _key, checked = clean(values)
    except RecordError as error:
        raise UsageError(N_("This share cannot be queued: {reason}."), reason=str(error)) from None
    return checked
