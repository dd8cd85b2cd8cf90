"""The link check against a loopback aiohttp server: 200, 404, 410, HEAD refused, redirects
(good and endless), a server that never answers; bounded concurrency, per-run limit and the
re-check schedule; dead links become flags for the curators."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.hub.linkcheck import check_links, check_urls
from storage.models_calls import ResourceFlag, ResourceHealth
from storage.statuses import FlagReason
from tests.conftest import make_settings


class Server:
    """Counts requests and how many were in flight at once."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0
        self.requests: list[tuple[str, str]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.02)
            path = request.path
            if path == "/ok":
                return web.Response(text="fine")
            if path == "/missing":
                return web.Response(status=404)
            if path == "/gone":
                return web.Response(status=410)
            if path == "/no-head":
                return web.Response(status=405 if request.method == "HEAD" else 200)
            if path == "/moved":
                raise web.HTTPFound("/ok")
            if path == "/loop":
                raise web.HTTPFound("/loop")
            if path == "/error":
                return web.Response(status=500)
            if path == "/slow":
                await asyncio.sleep(1)
                return web.Response(text="too late")
            return web.Response(status=404)
        finally:
            self.in_flight -= 1


@pytest.fixture
async def server() -> AsyncIterator[tuple[Server, str]]:
    state = Server()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield state, f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_head_then_get_redirects_and_timeouts(server: tuple[Server, str]) -> None:
    state, base = server
    paths = ["/ok", "/missing", "/gone", "/no-head", "/moved", "/loop", "/error", "/slow"]
    seen = await check_urls([base + p for p in paths], concurrency=3, timeout_seconds=0.5)
    result = {s.url.removeprefix(base): (s.ok, s.status, s.error) for s in seen}
    assert result["/ok"] == (True, 200, "")
    assert result["/missing"] == (False, 404, "")
    assert result["/gone"] == (False, 410, "")
    assert result["/no-head"] == (True, 200, "")  # HEAD refused, GET works
    assert result["/moved"] == (True, 200, "")  # redirect followed
    assert result["/loop"][:2] == (False, None) and "redirect" in result["/loop"][2]
    assert result["/error"] == (False, 500, "")
    assert result["/slow"] == (False, None, "timeout")
    assert ("HEAD", "/no-head") in state.requests and ("GET", "/no-head") in state.requests
    assert ("GET", "/ok") not in state.requests  # HEAD was enough
    assert state.most <= 3  # bounded concurrency


async def set_urls(app: BotApp, urls: dict[int, str]) -> None:
    async with app.database.unit_of_work() as uow:
        for resource in await uow.resources.all():
            resource.url = urls.get(resource.id)


async def flags(app: BotApp) -> dict[int, tuple[FlagReason, str]]:
    async with app.database.unit_of_work() as uow:
        rows = (await uow.session.scalars(select(ResourceFlag))).all()
    return {f.resource_id: (f.reason, f.detail) for f in rows}


@pytest.fixture
async def any_app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """The bot on SQLite, and on PostgreSQL when it is configured (the due-links query)."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    yield app
    await app.close()


async def test_a_run_is_limited_flags_dead_links_and_schedules_rechecks(
    any_app: BotApp, clock: ManualClock, server: tuple[Server, str]
) -> None:
    app = any_app
    state, base = server
    await set_urls(app, {1: base + "/ok", 2: base + "/missing", 3: base + "/error",
                         4: base + "/slow", 5: base + "/moved"})  # fmt: skip
    run = partial(
        check_links, limit=3, concurrency=2, timeout_seconds=0.3, every=timedelta(days=30)
    )
    first = await run(app, clock.now())
    assert [s.url.removeprefix(base) for s in first] == ["/ok", "/missing", "/error"]
    assert state.most <= 2
    assert await flags(app) == {2: (FlagReason.DEAD, "HTTP 404")}  # gone: flagged at once
    second = await run(app, clock.now())
    assert [s.url.removeprefix(base) for s in second] == ["/slow", "/moved"]
    assert await run(app, clock.now()) == []  # nothing due until tomorrow

    clock.advance(timedelta(days=1, minutes=1))  # the failures are asked again
    again = await run(app, clock.now())
    assert sorted(s.url.removeprefix(base) for s in again) == ["/error", "/missing", "/slow"]
    found = await flags(app)
    assert found[3] == (FlagReason.DEAD, "HTTP 500") and found[4] == (FlagReason.DEAD, "timeout")
    assert len(found) == 3  # the 404 keeps its one open flag
    async with app.database.unit_of_work() as uow:
        ok = await uow.session.get(ResourceHealth, 1)
    assert ok is not None and ok.failures == 0
    assert ok.next_check_at is not None and ok.checked_at is not None
    assert ok.next_check_at - ok.checked_at == timedelta(days=30)
    queue = await run(app, clock.now())
    assert queue == []
