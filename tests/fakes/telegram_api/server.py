"""The HTTP side: the loopback server, and every call checked before it is handled.

It answers ``POST /bot<token>/<method>`` like Telegram: ``{"ok": true, "result": ...}``. Every
call is checked against the published API description (tests/specs, :mod:`tests.fakes.botapi_spec`)
and the rules the API pages state in prose (:mod:`tests.fakes.botapi_rules`: command names and
counts, parse modes, button types, edit targets, inline results, empty texts): a call that
breaks them is answered as Telegram answers, ``400`` with ``{"ok": false, "error_code": 400,
"description": "Bad Request: ..."}``, and recorded in :attr:`FakeTelegram.violations`. A call
that passes goes to the mixin method named ``_m_<method>`` (``True`` when there is none).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fakes.botapi_rules import call_breaches
from tests.fakes.botapi_spec import check_call
from tests.fakes.telegram_api.base import _Refused
from tests.fakes.telegram_api.faults import TelegramFaults
from tests.fakes.telegram_api.files import TelegramFiles
from tests.fakes.telegram_api.records import Call


class TelegramServer(TelegramFaults, TelegramFiles):
    """Starts and stops the server, reads each call, meets faults and checks, then dispatches."""

    # lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._endpoint)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        async with self._changed:  # wake long polls so the server can close at once
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # the endpoint ---------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                if part.filename:
                    params[name] = bytes(await part.read())
                    params[f"{name}#filename"] = part.filename
                else:
                    params[name] = await part.text()
        elif request.can_read_body:
            if request.content_type == "application/json":
                params = {
                    k: v if isinstance(v, str) else json.dumps(v)
                    for k, v in (await request.json()).items()
                }
            else:
                params = dict(await request.post())
        params.update(request.query)
        return params

    async def _endpoint(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        files = {k[: -len("#filename")]: v for k, v in params.items() if k.endswith("#filename")}
        checked = {k: v for k, v in params.items() if not k.endswith("#filename")}
        # PTB uploads a file as an attach:// part; the field itself names the part.
        for name, value in list(checked.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                part = value[len("attach://") :]
                checked[name] = checked.pop(part, b"")
                files.setdefault(name, files.pop(part, ""))
        if self.jitter and method != "getUpdates":
            await asyncio.sleep(self._random.uniform(0, self.jitter))
        fault = self._fault(method)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status != 200:
            await self._record(Call(method, checked, fault.status))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.status,
                "description": "Too Many Requests"
                if fault.status == 429
                else "Internal Server Error",
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return web.json_response(body, status=fault.status)
        errors = check_call(method, checked)
        if errors:
            self.violations.extend(errors)
            await self._record(Call(method, checked, 400))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: " + "; ".join(errors),
                },
                status=400,
            )
        breaches = call_breaches(method, checked)
        if breaches:
            self.violations.extend(f"{method}: {breach}" for breach in breaches)
            await self._record(Call(method, checked, 400))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: " + breaches[0].description,
                },
                status=400,
            )
        handler = getattr(self, f"_m_{method}", None)
        try:
            result = await handler(checked, files) if handler else True
        except _Refused as refused:
            await self._record(Call(method, checked, refused.status))
            return web.json_response(
                {"ok": False, "error_code": refused.status, "description": refused.description},
                status=refused.status,
            )
        await self._record(Call(method, checked, 200))
        if fault is not None and fault.answer_delay:
            await asyncio.sleep(fault.answer_delay)
        return web.json_response({"ok": True, "result": result})
