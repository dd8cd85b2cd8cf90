"""``/healthz``, ``/readyz`` and ``/metrics``, mounted on the bot's one HTTP server.

- ``GET /healthz``: 200 ``ok`` while the process serves HTTP at all (a liveness probe; the
  container's HEALTHCHECK).
- ``GET /readyz``: 200 when storage answers, every started platform is connected and the
  dispatcher is not stuck; 503 otherwise. The body is JSON, one entry per check with what is
  wrong (a readiness probe; what a load balancer in front of several webhook workers reads).
- ``GET /metrics``: the Prometheus text format (OpenMetrics when the scraper asks for it).

:func:`add_ops_routes` adds them to an existing :class:`aiohttp.web.Application`: the bot's
one HTTP server (:mod:`bot.web`, on ``[http] listen:port``) mounts them. :func:`serve` runs
them alone on a port; the tests use it.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.ops.operations import SCRAPE_TIMEOUT, Operations

log = logging.getLogger(__name__)

OPERATIONS = web.AppKey("operations", Operations)
OPS_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


async def _healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok\n", headers={"Cache-Control": "no-store"})


async def _readyz(request: web.Request) -> web.Response:
    checks = await request.app[OPERATIONS].readiness.check()
    ready = all(check.ok for check in checks)
    body = {
        "ready": ready,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return web.json_response(
        body, status=200 if ready else 503, headers={"Cache-Control": "no-store"}
    )


async def _metrics(request: web.Request) -> web.Response:
    operations = request.app[OPERATIONS]
    try:
        await asyncio.wait_for(operations.refresh(), SCRAPE_TIMEOUT)
    except Exception as error:  # the counters are still worth serving; the gauges keep
        log.warning("metrics: outbox and hub gauges not refreshed: %s", type(error).__name__)
    body, content_type = operations.metrics.exposition(request.headers.get("Accept"))
    response = web.Response(body=body, headers={"Cache-Control": "no-store"})
    response.headers["Content-Type"] = content_type
    return response


def add_ops_routes(app: web.Application, operations: Operations) -> None:
    """Mount ``/healthz``, ``/readyz`` and ``/metrics`` on ``app``."""
    app[OPERATIONS] = operations
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)


async def serve(operations: Operations, host: str = "127.0.0.1", port: int = 0) -> web.AppRunner:
    """Serve only these routes on ``host:port`` (0: a free port, read from
    ``runner.addresses``); stop with ``await runner.cleanup()``."""
    app = web.Application()
    add_ops_routes(app, operations)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
