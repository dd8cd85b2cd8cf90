"""The loopback server: REST, the gateway and the attachment CDN on 127.0.0.1 only."""

from __future__ import annotations

from typing import Self

from aiohttp import web

from tests.fakes.discord.commands import SlashCommands
from tests.fakes.discord.rest import RestRoutes

API_PREFIX = "/api/v10"


class LoopbackServer(RestRoutes, SlashCommands):
    """Starting and stopping the server, and the URLs the client is given."""

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    async def __aenter__(self) -> Self:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_get("/attachments/{channel}/{id}/{filename}", self._attachment_content)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]  # the port the system picked
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in self._sockets:
            if not ws.closed:
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
