"""Starts the platform adapters that have tokens, side by side, on one BotApp."""

from __future__ import annotations

from bot.config import Settings


async def run_platforms(
    settings: Settings, *, telegram_token: str | None, discord_token: str | None
) -> None:
    """Run Telegram and/or Discord until stopped. Filled in by the adapter issues."""
    raise SystemExit(
        "Platform adapters are not built yet; unset the tokens to use the console adapter."
    )
