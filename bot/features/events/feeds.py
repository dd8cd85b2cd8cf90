"""Calendar feeds: members subscribe once instead of downloading files.

- A **private feed** per member, at ``<public_url>/calendar/<token>.ics``: the events they
  joined, cancelled ones included (``STATUS:CANCELLED``), so a subscribed calendar follows
  every reschedule and cancellation. The token is 256 random bits shown to the member once;
  only its SHA-256 is stored, and ``/calendar feed revoke`` replaces it.
- A **public feed** per community, at ``<public_url>/calendar/community/<slug>.ics``: the
  community's events open to all (``audience = all``).

The web server (:mod:`bot.web`) serves both; this module decides what is in them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from bot.config import HttpConfig
from bot.core.i18n import Translator
from bot.features.events.calendar import calendar_bytes
from storage.models import Member
from storage.unit_of_work import UnitOfWork

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
"""What :func:`secrets.token_urlsafe` gives for :data:`TOKEN_BYTES` bytes."""
PUBLIC_AUDIENCE = "all"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def member_feed_url(http: HttpConfig, token: str) -> str:
    return f"{http.public_url}/calendar/{token}.ics"


def community_feed_url(http: HttpConfig, slug: str) -> str:
    return f"{http.public_url}/calendar/community/{slug}.ics"


async def issue_token(uow: UnitOfWork, member: Member, *, now: datetime) -> str:
    """A new private feed token for ``member``; the previous one stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    await uow.calendar_feeds.replace(member.id, token_hash(token), now=now)
    return token


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    """A strong validator of the body: the feed changes exactly when it does."""


def _feed(body: bytes) -> Feed:
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


async def member_feed(uow: UnitOfWork, token: str) -> Feed | None:
    """The private feed of the member holding ``token``, or None (unknown or revoked)."""
    if TOKEN_PATTERN.fullmatch(token) is None:
        return None
    member = await uow.calendar_feeds.member_by_hash(token_hash(token))
    if member is None:
        return None
    events = await uow.events.joined_by(member.id)
    name = Translator(member.language or "en").gettext("My events")
    return _feed(calendar_bytes(events, name=name))


async def community_feed(uow: UnitOfWork, slug: str) -> Feed | None:
    """The public feed of community ``slug``: its events open to all, or None."""
    community = await uow.communities.by_slug(slug)
    if community is None:
        return None
    events = [
        event
        for event in await uow.events.of_community(community.id)
        if event.audience == PUBLIC_AUDIENCE
    ]
    return _feed(calendar_bytes(events, name=community.name))
