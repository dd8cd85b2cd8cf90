"""The log: one JSON line per event, with the request's platform, command and duration,
never what a member typed and never a token; Sentry only with a DSN and the SDK."""

from __future__ import annotations

import io
import json
import logging
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from bot.app import BotApp
from bot.config import LoggingConfig
from bot.core.messages import Request, RequestKind
from bot.ops.logs import configure_logging, process_secrets
from bot.ops.operations import Operations
from bot.ops.sentry import init_sentry, scrubber
from tests.helpers import actor, private, say

TOKEN = "7412589630:AAH-fake-but-secret-looking-token_Zq9"
USER_TEXT = "my sister was harassed at the council meeting"


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("CHAMPIONS_BOT_DATABASE_URL", "postgresql+asyncpg://bot:pg-pass-123@db/x")
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = configure_logging(
        LoggingConfig(format="json", level="debug"), secrets=process_secrets(), stream=stream
    )
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_requests_are_logged_as_json_without_user_text_or_tokens(
    app: BotApp, log_lines: io.StringIO
) -> None:
    Operations(app).watch(None)
    await say(app, "amina", f"/profile set bio {USER_TEXT} {TOKEN}")
    await say(app, "amina", f"{USER_TEXT} {TOKEN}")  # plain text, in a private chat
    await say(app, "amina", f"/{TOKEN} {USER_TEXT}")  # a "command" nobody declared
    inline = Request(actor("amina"), private("amina"), RequestKind.INLINE, text=USER_TEXT)
    await app.handle(inline)
    logging.getLogger("telegram.ext").error("the token %s was rejected", TOKEN)  # a library
    logging.getLogger("storage").warning("connect to postgresql://bot:pg-pass-123@db/x failed")

    output = log_lines.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    assert TOKEN not in output and "AAH-fake" not in output and "pg-pass-123" not in output
    assert USER_TEXT not in output and "harassed" not in output
    requests = [line for line in lines if line["logger"] == "champions.requests"]
    assert [(r["platform"], r["command"], r["outcome"]) for r in requests] == [
        ("console", "profile set", "ok"),
        ("console", "(text)", "ok"),
        ("console", "(unknown)", "ok"),
        ("console", "(inline)", "ok"),
    ]
    assert all(isinstance(r["duration_ms"], float) and r["level"] == "info" for r in requests)
    assert {"the token *** was rejected", "connect to postgresql://bot:***@db/x failed"} <= {
        line["message"] for line in lines
    }


async def test_a_failing_handler_logs_what_it_was_not_what_was_typed(
    app: BotApp, log_lines: io.StringIO
) -> None:
    async def explode(ctx: Any) -> None:
        raise RuntimeError("boom")

    app.registry.listener(explode)
    await say(app, "amina", USER_TEXT)
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    (failure,) = [line for line in lines if line["level"] == "error"]
    assert failure["message"] == "handler failed for (text)"
    assert "RuntimeError: boom" in failure["exception"]
    assert USER_TEXT[:40] not in log_lines.getvalue()


def test_text_format_is_one_line_per_event_too() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging(LoggingConfig(level="info"), secrets=[TOKEN], stream=stream)
    try:
        logging.getLogger("x").info("hello %s", TOKEN)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    (line,) = stream.getvalue().splitlines()
    assert line.endswith("INFO x: hello ***")


def test_sentry_starts_only_with_a_dsn_and_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    class FakeSentry(types.ModuleType):
        """sentry_sdk with only init(), which records its options."""

        def init(self, **options: Any) -> None:
            calls.append(options)

    fake_sdk = FakeSentry("sentry_sdk")

    def importer(name: str) -> types.ModuleType:
        assert name == "sentry_sdk"
        return fake_sdk

    def missing(name: str) -> types.ModuleType:
        raise ImportError(name)

    assert init_sentry([TOKEN], environ={}, import_module=importer) is False
    dsn = "https://public@o1.ingest.example/2"
    assert init_sentry([TOKEN], environ={"SENTRY_DSN": dsn}, import_module=missing) is False
    assert calls == []
    assert init_sentry([TOKEN], environ={"SENTRY_DSN": dsn}, import_module=importer) is True
    (options,) = calls
    assert options["dsn"] == dsn
    assert options["send_default_pii"] is False and options["include_local_variables"] is False
    event = {"message": f"rejected {TOKEN}", "extra": {"args": [TOKEN, dsn]}}
    assert TOKEN not in json.dumps(options["before_send"](event, {}))
    assert dsn not in json.dumps(options["before_send"](event, {}))
    assert "sentry_sdk" not in sys.modules or sys.modules["sentry_sdk"] is not fake_sdk


def test_scrubber_keeps_what_is_not_secret() -> None:
    event = {"a": ["plain", 3, None], "b": {"c": "x secret-value y"}}
    assert scrubber(["secret-value"])(event, None) == {
        "a": ["plain", 3, None],
        "b": {"c": "x *** y"},
    }
