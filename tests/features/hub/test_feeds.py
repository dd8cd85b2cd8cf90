"""Configured feeds are fetched over real HTTP (a loopback server) and imported idempotently."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.features.hub.feeds import sync_feeds
from storage.database import Database
from tests.features.hub.test_import import ATOM, RSS

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
async def feed_server() -> AsyncIterator[str]:
    """A real HTTP server on 127.0.0.1 serving an RSS and an Atom feed, and a 404."""
    app = web.Application()
    app.router.add_get("/rss.xml", serve_rss)
    app.router.add_get("/atom.xml", serve_atom)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def serve_rss(_request: web.Request) -> web.Response:
    return web.Response(text=RSS, content_type="application/xml")


async def serve_atom(_request: web.Request) -> web.Response:
    return web.Response(text=ATOM, content_type="application/xml")


async def test_feeds_are_synced_and_a_broken_one_does_not_stop_the_rest(
    tmp_path: Path, feed_server: str
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'feeds.db'}")
    await database.upgrade()
    try:
        urls = (f"{feed_server}/missing.xml", f"{feed_server}/rss.xml", f"{feed_server}/atom.xml")
        first = await sync_feeds(database, urls, now=NOW)
        assert first[0].report is None and first[0].error
        assert first[1].report is not None and first[1].report.added == 1
        assert first[2].report is not None and first[2].report.added == 1
        again = await sync_feeds(database, urls[1:], now=NOW)
        assert [r.report.unchanged for r in again if r.report] == [1, 1]
        async with database.unit_of_work() as uow:
            assert await uow.resources.count() == 2
    finally:
        await database.dispose()


async def test_the_feed_job_uses_the_configured_feeds(tmp_path: Path, feed_server: str) -> None:
    from bot.app import BotApp
    from bot.config import HubConfig
    from bot.core.clock import ManualClock
    from bot.features.hub.feeds import feed_sync_job
    from tests.conftest import make_settings
    from tests.helpers import say, texts

    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'job.db'}",
        hub=HubConfig(feeds=(f"{feed_server}/atom.xml",), demo_catalogue=False),
    )
    app = await BotApp.start(settings, clock=ManualClock())
    try:
        assert "no resource" in texts(await say(app, "rania", "/resources insight session"))
        (result,) = await feed_sync_job(app)
        assert result.report is not None and result.report.added == 1
        found = texts(await say(app, "rania", "/resources insight session"))
        assert "Women's leadership insight session" in found
    finally:
        await app.close()


def test_hub_sync_without_feeds_says_how_to_configure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["hub", "sync", "--db", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"]) == 2
    assert "[hub] feeds" in capsys.readouterr().err
