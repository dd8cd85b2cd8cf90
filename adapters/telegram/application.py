"""Building python-telegram-bot's ``Application`` from the config: the API base, the
retrying HTTP layers and the rate limiter, with the limits and timings as one :class:`Tuning`.

Apart from :mod:`adapters.telegram.adapter` so that a process that only sends
(``run_telegram_sender``) and the tests' sender processes build the same application without
the update-handling side.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from adapters.telegram.ratelimit import OutboxAwareRateLimiter
from adapters.telegram.request import RetryingRequest, UpdatesRequest
from bot.config import ConfigError, Settings

TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass(frozen=True)
class Tuning:
    """Limits and timings; production uses the defaults, tests turn the waits down."""

    attempts: int = 5
    """Tries for a call that meets a 5xx answer or a dropped connection."""
    backoff: float = 0.5
    max_backoff: float = 30.0
    rate_retries: int = 5
    """How often a call answered 429 is retried after waiting ``retry_after``."""
    overall_per_second: float = 30
    group_per_minute: float = 20
    poll_timeout: int = 30
    """Long-polling ``timeout`` of getUpdates, in seconds."""
    read_timeout: float = 15.0
    peek_seconds: float = 2.0
    """While an update is held for storage, how often the pending ones are read again to
    tell their senders that the answer is coming."""
    drain_seconds: float = 10.0
    """At a graceful stop, how long the updates being handled may take to finish."""
    calls_at_once: int = 8
    """Bot API calls on the wire together, uploads aside (:mod:`adapters.telegram.request`)."""


def file_url(api_base_url: str) -> str:
    """The file download base that goes with an API base: ``…/bot`` → ``…/file/bot``."""
    base = api_base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def build_application(
    settings: Settings,
    token: str,
    tuning: Tuning = Tuning(),
    *,
    updates_request: UpdatesRequest | None = None,
) -> TelegramApplication:
    """The PTB application: API base from config, rate limiter, retrying HTTP layer.

    It has no ``Updater``: :mod:`adapters.telegram.polling` and :mod:`adapters.telegram.webhook`
    fetch the updates and confirm each only once it was handled.
    """
    config = settings.telegram
    return (
        ApplicationBuilder()
        .token(token)
        .updater(None)
        .base_url(config.api_base_url)
        .base_file_url(file_url(config.api_base_url))
        .request(
            RetryingRequest(
                attempts=tuning.attempts,
                backoff=tuning.backoff,
                max_backoff=tuning.max_backoff,
                calls_at_once=tuning.calls_at_once,
                connection_pool_size=16,
                read_timeout=tuning.read_timeout,
            )
        )
        .get_updates_request(
            # two: the confirmation at a stop must not wait behind a long poll
            updates_request
            or UpdatesRequest(connection_pool_size=2, read_timeout=tuning.read_timeout)
        )
        .rate_limiter(
            OutboxAwareRateLimiter(
                overall_max_rate=tuning.overall_per_second,
                overall_time_period=1,
                group_max_rate=tuning.group_per_minute,
                group_time_period=60,
                max_retries=tuning.rate_retries,
            )
        )
        .build()
    )


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must send with every webhook call (from the environment)."""
    name = settings.telegram.webhook_secret_env
    secret = os.environ.get(name, "").strip()
    if not secret:
        raise ConfigError(f"telegram.mode is 'webhook': set the secret token in ${name}")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        raise ConfigError(f"${name}: use 1-256 characters A-Z, a-z, 0-9, _ and -")
    return secret
