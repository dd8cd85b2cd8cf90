"""Webhook mode: Telegram calls us; the secret token is checked on every call."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from typing import Any, cast

import aiohttp
import pytest

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import ConfigError
from bot.core.clock import ManualClock
from tests.adapters.telegram.conftest import AMINA, FAST, private_chat, telegram_settings
from tests.adapters.telegram.test_end_to_end import texts
from tests.fakes.telegram_api import FakeTelegram

SECRET = "s3cret-Token_42"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def hooked(
    sqlite_url: str, fake: FakeTelegram, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[TelegramAdapter, str]]:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    port = _free_port()
    settings = telegram_settings(
        sqlite_url,
        fake,
        mode="webhook",
        listen="127.0.0.1",
        port=port,
        public_url="https://bot.example.org/tg-hook",
    )
    app = await BotApp.start(settings, clock=clock)
    adapter = TelegramAdapter(app, settings, fake.token, tuning=FAST)
    await adapter.start()
    yield adapter, f"http://127.0.0.1:{port}/tg-hook"
    await adapter.stop()
    await app.close()


async def test_webhook_is_registered_with_its_secret(
    fake: FakeTelegram, hooked: tuple[TelegramAdapter, str]
) -> None:
    assert fake.webhook is not None
    assert fake.webhook["url"] == "https://bot.example.org/tg-hook"
    assert fake.webhook["secret_token"] == SECRET
    assert json.loads(fake.webhook["allowed_updates"]) == [
        "message",
        "callback_query",
        "inline_query",
    ]
    assert "getUpdates" not in fake.methods()


async def test_calls_without_the_secret_are_refused_and_redeliveries_have_one_effect(
    fake: FakeTelegram, hooked: tuple[TelegramAdapter, str]
) -> None:
    _adapter, url = hooked
    update = {"update_id": 5001, **fake.message(private_chat(AMINA), AMINA, "/profile set bio Hi")}
    async with aiohttp.ClientSession() as session:
        for secret in (None, "wrong"):
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        for _ in range(2):  # Telegram retries when it thinks we missed it
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 200
        follow = {"update_id": 5002, **fake.message(private_chat(AMINA), AMINA, "/cancel")}
        async with session.post(url, json=follow, headers=headers) as response:
            assert response.status == 200
    await fake.wait_sent(2)
    assert texts(fake.sent_to(101)) == [
        "Saved.",
        "All right, I stopped. Nothing more will be asked.",
    ]


async def test_webhook_mode_needs_its_secret(
    sqlite_url: str, fake: FakeTelegram, bot_app: BotApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    settings = telegram_settings(sqlite_url, fake, mode="webhook", public_url="https://x.org/h")
    adapter = TelegramAdapter(bot_app, settings, fake.token, tuning=FAST)
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        await adapter.start()


async def test_the_webhook_is_a_route_of_the_one_http_server_when_they_share_a_port(
    sqlite_url: str, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[telegram] port`` = ``[http] port``: one server answers the webhook, /healthz and
    /metrics; before the adapter has started (or after it stopped) a call gets 503, which
    Telegram delivers again."""
    import asyncio
    import contextlib

    from adapters.runner import Role, run_platforms
    from bot.config import HttpConfig
    from bot.web import LateRoute

    early = LateRoute("/tg-hook")
    no_request = cast(Any, None)  # before the adapter starts, the route reads no request
    assert (await early.receive(no_request)).status == 503

    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    port = _free_port()
    settings = telegram_settings(
        sqlite_url,
        fake,
        mode="webhook",
        listen="127.0.0.1",
        port=port,
        public_url="https://bot.example.org/tg-hook",
    ).model_copy(update={"http": HttpConfig(public_url="https://bot.example.org", port=port)})
    running = asyncio.create_task(
        run_platforms(settings, telegram_token=fake.token, discord_token=None, only=Role.TELEGRAM)
    )
    base = f"http://127.0.0.1:{port}"
    update = {"update_id": 6001, **fake.message(private_chat(AMINA), AMINA, "/help")}
    try:
        await fake.wait_for(lambda: fake.webhook is not None, 20)
        async with aiohttp.ClientSession() as session:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(base + "/tg-hook", json=update, headers=headers) as response:
                assert response.status == 200
            async with session.post(base + "/tg-hook", json=update) as response:
                assert response.status == 403  # the secret is still checked
            async with session.get(base + "/healthz") as response:
                assert response.status == 200
            async with session.get(base + "/metrics") as response:
                assert 'command="help"' in await response.text()
        assert fake.sent_to(AMINA["id"])
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
