"""The HTTP layer retries dropped connections with backoff, and gives up in the end."""

from __future__ import annotations

import asyncio
import logging
import socket
import time

import pytest
from telegram import InputFile
from telegram.error import NetworkError
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter  # PTB builds it so

from adapters.telegram.request import RetryingRequest
from adapters.telegram.transport import AiohttpRequest


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_connection_refused_is_retried_with_growing_waits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = RetryingRequest(attempts=4, backoff=0.05, max_backoff=1.0)
    await request.initialize()
    started = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{_closed_port()}/botX/getMe", "POST")
    finally:
        await request.shutdown()
    retries = [r for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 3
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2


async def test_at_most_calls_at_once_on_the_wire_and_uploads_never_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """32 replies at once go out eight at a time (an HTTP pool costs CPU per connection and per
    waiting request); an upload, which takes seconds, is never held behind them."""
    on_wire, most = 0, 0
    release = asyncio.Event()

    async def call(self: AiohttpRequest, url: str, method: str, **_: object) -> tuple[int, bytes]:
        nonlocal on_wire, most
        on_wire += 1
        most = max(most, on_wire)
        try:
            await release.wait()
        finally:
            on_wire -= 1
        return 200, b'{"ok": true, "result": true}'

    monkeypatch.setattr(AiohttpRequest, "do_request", call)
    request = RetryingRequest(calls_at_once=8)
    calls = [
        asyncio.create_task(request.do_request("http://x/botX/sendMessage", "POST"))
        for _ in range(32)
    ]
    await asyncio.sleep(0.05)
    assert on_wire == 8
    upload = RequestData(
        [RequestParameter.from_input("document", InputFile(b"report", filename="r.csv"))]
    )
    assert upload.contains_files
    uploading = asyncio.create_task(
        request.do_request("http://x/botX/sendDocument", "POST", request_data=upload)
    )
    await asyncio.sleep(0.05)
    assert on_wire == 9  # the upload went at once, beside the eight
    release.set()
    await asyncio.gather(*calls, uploading)
    assert most == 9
