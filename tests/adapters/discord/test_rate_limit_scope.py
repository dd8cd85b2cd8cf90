"""Discord's 429s say their scope: a channel's bucket sets that chat aside, the global limit
pauses the platform."""

from __future__ import annotations

from types import SimpleNamespace

import discord

from adapters.discord.messenger import rate_limited


def http_429(headers: dict[str, str]) -> discord.HTTPException:
    response = SimpleNamespace(status=429, reason="Too Many Requests", headers=headers)
    return discord.HTTPException(response, {"message": "You are being rate limited."})


def test_a_routes_429_is_the_chats() -> None:
    error = rate_limited(http_429({"X-RateLimit-Scope": "user", "Retry-After": "2.5"}))
    assert error.scope == "chat" and error.retry_after == 2.5
    assert rate_limited(http_429({"X-RateLimit-Scope": "shared"})).scope == "chat"


def test_the_global_429_is_the_platforms() -> None:
    assert rate_limited(http_429({"X-RateLimit-Scope": "global"})).scope == "platform"
    assert rate_limited(http_429({"X-RateLimit-Global": "true"})).scope == "platform"
    assert rate_limited(http_429({})).scope == "platform"  # no scope (e.g. Cloudflare): careful
