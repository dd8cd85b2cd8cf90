"""Telegram: the token (getMe), privacy mode, and the webhook Telegram calls (getWebhookInfo).

Plain HTTP calls to the Bot API, so the doctor reports exactly what Telegram answered.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.config import TELEGRAM_TOKEN_ENV, Settings
from bot.ops.doctor.findings import Finding, ok, problem

BACKLOG_WARNING = 100
"""More updates than this waiting at Telegram means the bot has not been receiving them."""


class _Unreachable(Exception):
    pass


async def _call(session: aiohttp.ClientSession, base: str, token: str, method: str) -> Any:
    """``(status, body)`` of one Bot API call; :class:`_Unreachable` on a network error."""
    try:
        async with session.post(f"{base}{token}/{method}", json={}) as response:
            body = await response.json(content_type=None)
            return response.status, body
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        raise _Unreachable(type(error).__name__) from None


async def check_telegram(
    settings: Settings, token: str, session: aiohttp.ClientSession, environ: dict[str, str]
) -> list[Finding]:
    base = settings.telegram.api_base_url.rstrip("/")
    host = urlsplit(base).netloc
    try:
        status, body = await _call(session, base, token, "getMe")
    except _Unreachable as error:
        return [
            problem(
                "telegram",
                f"cannot reach {host} ({error})",
                "check this machine's network or proxy and [telegram] api_base_url",
            )
        ]
    if status in (401, 404) or not body.get("ok"):
        return [
            problem(
                "telegram token",
                f"Telegram refused {TELEGRAM_TOKEN_ENV} ({status} {body.get('description', '')})",
                f"copy the token again from @BotFather (/mybots, API Token) into "
                f"{TELEGRAM_TOKEN_ENV}",
            )
        ]
    me = body["result"]
    found = [ok("telegram token", f"logged in as @{me.get('username')}")]
    if me.get("can_read_all_group_messages"):
        found.append(
            problem(
                "telegram privacy",
                "privacy mode is off: Telegram sends the bot every message of its groups",
                "turn it on in @BotFather (/setprivacy, Enable), then remove and re-add the "
                "bot to its groups",
            )
        )
    try:
        _status, info = await _call(session, base, token, "getWebhookInfo")
    except _Unreachable as error:
        return [*found, problem("telegram webhook", f"getWebhookInfo failed ({error})", "retry")]
    return found + _webhook(settings, info.get("result") or {}, environ)


def _webhook(settings: Settings, info: dict[str, Any], environ: dict[str, str]) -> list[Finding]:
    config = settings.telegram
    registered = info.get("url") or ""
    if config.mode == "polling":
        if registered:
            return [
                problem(
                    "telegram webhook",
                    f"Telegram delivers updates to the webhook {registered} but [telegram] mode "
                    "is polling",
                    'set [telegram] mode = "webhook", or stop the deployment that set it (the '
                    "bot removes it when it starts polling)",
                )
            ]
        return [ok("telegram webhook", "none set (polling mode)")]
    found: list[Finding] = []
    public = config.public_url or ""
    if not public:
        found.append(
            problem(
                "telegram webhook",
                "[telegram] mode is webhook but public_url is not set",
                'set [telegram] public_url = "https://your.host/telegram" (your reverse proxy '
                "forwards it to listen:port)",
            )
        )
    elif not public.startswith("https://"):
        found.append(
            problem(
                "telegram webhook",
                f"public_url {public} is not https",
                "Telegram only calls https:// addresses: put the bot behind a reverse proxy "
                "with TLS (docs/deploy.md)",
            )
        )
    secret = environ.get(config.webhook_secret_env, "").strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        found.append(
            problem(
                "telegram webhook",
                f"${config.webhook_secret_env} is unset or not 1-256 characters A-Z a-z 0-9 _ -",
                f"set it, e.g. export {config.webhook_secret_env}=$(openssl rand -hex 32)",
            )
        )
    if registered and public and registered != public:
        found.append(
            problem(
                "telegram webhook",
                f"Telegram calls {registered}, not public_url {public}",
                "another deployment may use this token; the bot sets public_url when it starts",
            )
        )
    if info.get("last_error_message"):
        found.append(
            problem(
                "telegram webhook",
                f"Telegram's last delivery failed: {info['last_error_message']}",
                "check that the reverse proxy forwards public_url to [telegram] listen:port "
                "with a valid TLS certificate, and that the bot runs",
            )
        )
    waiting = int(info.get("pending_update_count") or 0)
    if waiting > BACKLOG_WARNING:
        found.append(
            problem(
                "telegram webhook",
                f"{waiting} updates are waiting at Telegram",
                "the webhook is not being answered: check the bot and the reverse proxy",
            )
        )
    if not found:
        where = registered or "not set yet (the bot sets it when it starts)"
        found.append(ok("telegram webhook", where))
    return found
