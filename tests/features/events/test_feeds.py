"""Calendar feeds through a real HTTP client against the running aiohttp server.

A member subscribes once (``/calendar feed``); an admin reschedules and cancels; the next fetch
has the change. A revoked address answers 404. Every feed body goes through the two parsers of
:mod:`tests.features.events.calendars`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from multidict import CIMultiDict
from sqlalchemy import select

from bot.app import BotApp
from bot.config import ConfigError, HttpConfig, load_settings
from bot.core.clock import ManualClock
from bot.core.messages import Reply
from bot.web import WebServer, start_web_server
from storage.models import AuditEntry, CalendarFeed
from tests.conftest import make_settings
from tests.core.test_router_outage import set_aside
from tests.features.events.calendars import ParsedCalendar, check_calendar
from tests.helpers import say, texts

PUBLIC_URL = "https://calendar.example.org"
ADD = '/webinar add "Gender budgeting" 2026-11-26 14:00 Europe/Madrid 90m'


@pytest.fixture
async def served(db_url: str, clock: ManualClock) -> AsyncIterator[tuple[BotApp, str]]:
    """The bot with [http] configured (on SQLite, and PostgreSQL when configured), its web
    server on a free port, and that server's base address."""
    http = HttpConfig(public_url=PUBLIC_URL + "/", port=0)
    app = await BotApp.start(make_settings(db_url, http=http), clock=clock)
    server = await start_web_server(app)
    assert isinstance(server, WebServer)
    yield app, f"http://127.0.0.1:{server.port}"
    await server.stop()
    await app.close()


def feed_url(replies: list[Reply]) -> str:
    found = re.findall(re.escape(PUBLIC_URL) + r"/calendar/[A-Za-z0-9_-]+\.ics", texts(replies))
    assert len(found) == 1, texts(replies)
    return found[0]


async def fetch(
    url: str, base: str, etag: str | None = None
) -> tuple[int, CIMultiDict[str], bytes]:
    headers = {"If-None-Match": etag} if etag else {}
    async with (
        aiohttp.ClientSession() as session,
        session.get(url.replace(PUBLIC_URL, base), headers=headers) as response,
    ):
        return response.status, CIMultiDict(response.headers), await response.read()


async def fetch_calendar(app: BotApp, url: str, base: str) -> tuple[ParsedCalendar, str]:
    status, headers, body = await fetch(url, base)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    return await check_calendar(app, body), headers["ETag"]


def starts(parsed: ParsedCalendar) -> list[datetime]:
    return [start for items in parsed.occurrences.values() for start, _end in items]


async def test_a_subscribed_feed_follows_reschedules_and_cancellations(
    served: tuple[BotApp, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, base = served
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    await say(app, "sofia", ADD)
    await say(app, "lucia", "/rsvp 1")
    url = feed_url(await say(app, "lucia", "/calendar feed"))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")

    first, etag = await fetch_calendar(app, url, base)
    assert starts(first) == [datetime(2026, 11, 26, 13, 0, tzinfo=UTC)]
    status, headers, body = await fetch(url, base, etag)
    assert (status, body, headers["ETag"]) == (304, b"", etag)  # unchanged: nothing to send

    await say(app, "sofia", "/webinar reschedule 1 2026-11-27 15:00")
    status, _headers, _body = await fetch(url, base, etag)
    assert status == 200  # the old validator no longer matches
    moved, _etag = await fetch_calendar(app, url, base)
    assert starts(moved) == [datetime(2026, 11, 27, 14, 0, tzinfo=UTC)]
    assert list(moved.sequence.values()) == [1] and moved.status.keys() == first.status.keys()

    await say(app, "sofia", "/webinar cancel 1")
    cancelled, _etag = await fetch_calendar(app, url, base)
    assert list(cancelled.status.values()) == ["CANCELLED"] and starts(cancelled) == []

    async with app.database.unit_of_work() as uow:
        stored = (await uow.session.scalars(select(CalendarFeed))).all()
        audit = (await uow.session.scalars(select(AuditEntry))).all()
    assert [len(feed.token_hash) for feed in stored] == [64] and token not in str(
        [feed.token_hash for feed in stored]
    )
    assert token not in str([(entry.action, entry.detail) for entry in audit])
    assert token not in caplog.text and "/calendar/***.ics 200" in caplog.text


async def test_revoking_gives_a_new_address_and_the_old_one_answers_404(
    served: tuple[BotApp, str],
) -> None:
    app, base = served
    await say(app, "sofia", ADD)
    await say(app, "lucia", "/rsvp 1")
    old = feed_url(await say(app, "lucia", "/calendar feed"))
    again = texts(await say(app, "lucia", "/calendar feed"))
    assert "already have a calendar feed" in again and PUBLIC_URL + "/calendar/" not in again
    new = feed_url(await say(app, "lucia", "/calendar feed revoke"))
    assert new != old
    assert (await fetch(old, base))[0] == 404
    await fetch_calendar(app, new, base)
    assert (await fetch(PUBLIC_URL + "/calendar/" + "x" * 43 + ".ics", base))[0] == 404
    assert (await fetch(PUBLIC_URL + "/calendar/short.ics", base))[0] == 404


async def test_the_public_community_feed_has_the_events_open_to_all(
    served: tuple[BotApp, str],
) -> None:
    app, base = served
    await say(app, "sofia", ADD + " audience=all")
    mena = '/webinar add "MENA only" 2026-12-01 10:00 Africa/Tunis audience=region:mena'
    await say(app, "sofia", mena)
    series = '/webinar add "Series" 2026-12-02 10:00 America/Bogota weekly:3 audience=all'
    await say(app, "sofia", series)
    await say(app, "sofia", '/webinar add "Members only" 2026-12-03 10:00 America/Bogota')
    await say(app, "sofia", "/webinar cancel 3")
    url = PUBLIC_URL + "/calendar/community/champions.ics"
    assert url in texts(await say(app, "lucia", "/calendar feed"))
    parsed, _etag = await fetch_calendar(app, url, base)
    # Open to all only: not the MENA one, not the one kept to the community's members (the
    # feed's address is public).
    assert sorted(parsed.status.values()) == ["CANCELLED", "CONFIRMED"]
    assert (await fetch(PUBLIC_URL + "/calendar/community/nowhere.ics", base))[0] == 404


async def test_without_http_configured_feeds_are_explained_and_no_server_starts(
    app: BotApp,
) -> None:
    assert "not switched on" in texts(await say(app, "lucia", "/calendar feed"))
    assert await start_web_server(app) is None


def test_the_public_url_must_be_a_web_address(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[http]\npublic_url = "calendar.example.org"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert "http.public_url" in str(caught.value) and "web address" in str(caught.value)


async def test_a_feed_asked_for_during_an_outage_is_told_to_come_back(
    sqlite_url: str, tmp_path: Path, clock: ManualClock
) -> None:
    """503 with Retry-After, not a 500: calendar apps retry a 503 and may drop a broken feed."""
    http = HttpConfig(public_url=PUBLIC_URL + "/", port=0)
    app = await BotApp.start(make_settings(sqlite_url, http=http), clock=clock)
    server = await start_web_server(app)
    assert isinstance(server, WebServer)
    base = f"http://127.0.0.1:{server.port}"
    try:
        await say(app, "sofia", ADD)
        url = feed_url(await say(app, "amina", "/calendar feed"))
        assert (await fetch(url, base))[0] == 200
        set_aside(tmp_path)  # the database recreated empty under the bot
        await app.database.engine.dispose()
        status, headers, body = await fetch(url, base)
        assert status == 503 and headers["Retry-After"] == "60", body
        assert b"try again" in body
    finally:
        await server.stop()
        await app.close()
