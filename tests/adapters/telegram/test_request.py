"""The HTTP layer retries dropped connections with backoff, and gives up in the end."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from telegram.error import NetworkError

from adapters.telegram.request import RetryingRequest


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
