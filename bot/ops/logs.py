"""Logs: one line per event, plain text for a terminal or JSON for a log collector.

``[logging] format = "json"`` writes each record as one JSON object (time, level, logger,
message, and the request fields ``platform``, ``command``, ``outcome``, ``duration_ms`` when
the record has them; a traceback as ``exception``). Every line, whatever its format, passes
through :class:`Redacting`, which replaces the process's secrets (platform tokens, the webhook
secret, the Sentry DSN, the database password) by ``***`` wherever they appear, tracebacks
included: a library that quotes a rejected token cannot leak it.

User text never reaches a record in the first place: the request log is written from
:class:`bot.core.handled.Handled`, which carries the declared command, not what was typed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.config import (
    DATABASE_URL_ENV,
    DISCORD_TOKEN_ENV,
    TELEGRAM_TOKEN_ENV,
    LoggingConfig,
    Settings,
)
from bot.core.handled import Handled

REQUESTS_LOGGER = "champions.requests"
HANDLER_NAME = "champions-bot"
REQUEST_FIELDS = ("platform", "command", "outcome", "duration_ms")
QUIET_LIBRARIES = (
    "aiohttp.client", "httpx", "httpcore", "aiosqlite", "asyncpg", "sqlalchemy", "telegram",
    "discord",
)  # fmt: skip
"""Never below ``warning``, whatever the level: at ``debug`` they log what they carry (the
SQL parameters, the platforms' payloads: what members typed), and HTTP clients log the URLs
they call, and Telegram's URLs hold the token. ``level = "debug"`` is for the bot's own
loggers."""

requests_log = logging.getLogger(REQUESTS_LOGGER)


def log_request(handled: Handled) -> None:
    """The request log: one line per request (a :data:`~bot.core.handled.RequestObserver`)."""
    duration_ms = round(handled.seconds * 1000, 1)
    requests_log.info(
        "%s %s %s in %.1f ms",
        handled.platform,
        handled.command,
        handled.outcome.value,
        duration_ms,
        extra={
            "platform": handled.platform,
            "command": handled.command,
            "outcome": handled.outcome.value,
            "duration_ms": duration_ms,
        },
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class Redacting(logging.Formatter):
    """Formats with ``inner``, then hides every secret in the finished line."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        # longest first, so a secret containing another is hidden whole
        self.secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record), self.secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def process_secrets(
    settings: Settings | None = None, environ: Mapping[str, str] = os.environ
) -> list[str]:
    """What must never be written anywhere: tokens, the webhook secret, the Sentry DSN and
    the database password (from the environment and, for the password, the settings)."""
    names = [TELEGRAM_TOKEN_ENV, DISCORD_TOKEN_ENV, "SENTRY_DSN"]
    if settings is not None:
        names.append(settings.telegram.webhook_secret_env)
    found = [environ.get(name, "").strip() for name in names]
    urls = [environ.get(DATABASE_URL_ENV, "")]
    if settings is not None:
        urls.append(settings.storage.url)
    found += [_password(url) for url in urls]
    return [secret for secret in found if secret]


def _password(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not url:
        return ""
    try:
        return make_url(url).password or ""
    except ArgumentError:
        return ""


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (as logging's last resort does), so
    a redirected or captured stderr is followed."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(
    config: LoggingConfig,
    *,
    verbose: bool = False,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every record to ``stream`` (default: stderr) in the configured format, with the
    secrets hidden; return the handler.

    Calling it again replaces the handler it installed before (the command line does, once
    the config is read), and leaves other handlers alone. ``verbose`` (``-v``) lowers the
    level to ``info`` when the file asks for less.
    """
    level = logging.getLevelName(config.level.upper())
    if verbose:
        level = min(level, logging.INFO)
    inner: logging.Formatter = (
        JsonFormatter()
        if config.format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler: logging.Handler = logging.StreamHandler(stream) if stream else _Stderr()
    handler.setFormatter(Redacting(inner, secrets))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    return handler
