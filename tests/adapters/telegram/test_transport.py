"""python-telegram-bot's calls through aiohttp (adapters/telegram/transport.py): sent as PTB's
own httpx layer sends them, and failing the way the retries and the outbox read failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter  # PTB builds it so

from adapters.telegram.request import may_have_arrived, timed_out_reading
from adapters.telegram.transport import AiohttpRequest


class Server:
    """A loopback server that records what each call carried, and can stall or hang up."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.stall = asyncio.Event()
        self.hang_up = False
        self.url = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        self.seen.append(
            {
                "type": request.content_type,
                "fields": {
                    name: (value.filename, value.content_type, value.file.read())
                    if isinstance(value, web.FileField)
                    else value
                    for name, value in form.items()
                },
                "agent": request.headers.get("User-Agent", ""),
                "host": request.host,
            }
        )
        if self.hang_up:
            assert request.transport is not None
            request.transport.close()  # read it all, then no answer
            return web.Response()
        if request.path.endswith("/slow"):
            await self.stall.wait()
        return web.json_response({"ok": True, "result": True})


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    found = Server()
    app = web.Application()
    app.router.add_post("/{name:.*}", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    found.url = f"http://127.0.0.1:{runner.addresses[0][1]}/botTOKEN"
    yield found
    found.stall.set()
    await runner.cleanup()


def _data(*parameters: tuple[str, Any]) -> RequestData:
    return RequestData([RequestParameter.from_input(name, value) for name, value in parameters])


async def _both(server: Server, method: str, data: RequestData) -> list[dict[str, Any]]:
    """What the same call carried through PTB's httpx layer and through ours."""
    for request in (HTTPXRequest(), AiohttpRequest()):
        await request.initialize()
        try:
            status, body = await request.do_request(f"{server.url}/{method}", "POST", data)
        finally:
            await request.shutdown()
        assert (status, body) == (200, b'{"ok": true, "result": true}')
    return server.seen[-2:]


async def test_parameters_go_as_ptbs_own_layer_sends_them(server: Server) -> None:
    sent = await _both(
        server,
        "sendMessage",
        _data(
            ("chat_id", 42),
            ("text", "Élue à Tunis — <b>budget</b> & « quotas »"),
            ("parse_mode", "HTML"),
            ("reply_markup", {"inline_keyboard": [[{"text": "Oui", "callback_data": "y"}]]}),
        ),
    )
    theirs, ours = sent
    assert ours["type"] == theirs["type"] == "application/x-www-form-urlencoded"
    assert ours["fields"] == theirs["fields"]
    assert ours["fields"]["text"] == "Élue à Tunis — <b>budget</b> & « quotas »"
    assert ours["agent"].startswith("python-telegram-bot")


async def test_files_go_as_multipart_with_their_names_and_types(server: Server) -> None:
    document = InputFile(b"name,region\nAmina,MENA\n", filename="roster.csv")
    sent = await _both(
        server,
        "sendDocument",
        _data(("chat_id", 42), ("caption", "Roster"), ("document", document)),
    )
    theirs, ours = sent
    assert ours["type"] == theirs["type"] == "multipart/form-data"
    assert ours["fields"] == theirs["fields"]
    assert ours["fields"]["document"] == ("roster.csv", "text/csv", b"name,region\nAmina,MENA\n")


async def test_an_answer_that_does_not_come_is_a_timeout_after_the_call_went_out(
    server: Server,
) -> None:
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as caught:
            await request.do_request(f"{server.url}/slow", "POST", _data(("chat_id", 1)))
    finally:
        await request.shutdown()
    assert timed_out_reading(caught.value) and may_have_arrived(caught.value)


async def test_a_connection_closed_after_the_call_may_have_delivered_it(server: Server) -> None:
    server.hang_up = True
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request(f"{server.url}/sendMessage", "POST", _data(("chat_id", 1)))
    finally:
        await request.shutdown()
    assert len(server.seen) == 1  # it arrived
    assert may_have_arrived(caught.value) and not timed_out_reading(caught.value)


async def test_no_free_connection_in_time_means_the_call_never_left(server: Server) -> None:
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.1, connect_timeout=0.1)
    await request.initialize()
    try:
        holding = asyncio.create_task(
            request.do_request(f"{server.url}/slow", "POST", _data(("chat_id", 1)))
        )
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut) as caught:
            await request.do_request(f"{server.url}/sendMessage", "POST", _data(("chat_id", 2)))
        assert not may_have_arrived(caught.value) and not timed_out_reading(caught.value)
        assert len(server.seen) == 1  # only the first reached the server
        server.stall.set()
        assert (await holding)[0] == 200
    finally:
        await request.shutdown()


async def test_a_refused_connection_never_left_and_an_unstarted_request_says_so() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/botX/getMe", "POST")
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request("http://127.0.0.1:9/botX/getMe", "POST")
    finally:
        await request.shutdown()
    assert not may_have_arrived(caught.value)


async def test_the_environments_proxy_carries_calls_and_no_proxy_is_honoured(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP(S)_PROXY and NO_PROXY as PTB's httpx layer honoured them: read once per host,
    not looked up (with ~/.netrc) in a thread on every call as aiohttp's trust_env does."""
    proxy = server.url.rsplit("/", 1)[0]  # the loopback server plays the proxy
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "direct.invalid")
    request = AiohttpRequest()
    await request.initialize()
    try:
        status, _body = await request.do_request(
            "http://api.telegram.invalid/botTOKEN/getMe", "POST", _data(("a", "1"))
        )
        assert status == 200 and server.seen[-1]["host"] == "api.telegram.invalid"
        with pytest.raises(NetworkError):  # not proxied, and the name resolves nowhere
            await request.do_request("http://direct.invalid/botTOKEN/getMe", "POST")
        monkeypatch.delenv("HTTP_PROXY")  # read once per host, as httpx reads it once
        status, _body = await request.do_request(
            "http://api.telegram.invalid/botTOKEN/getMe", "POST", _data(("a", "2"))
        )
        assert status == 200 and server.seen[-1]["fields"] == {"a": "2"}
    finally:
        await request.shutdown()
