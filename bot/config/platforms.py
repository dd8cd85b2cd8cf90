"""The chat platforms' sections: who administers on each, and how the bot reaches them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from bot.config.base import PlatformId, Section


class AdminsConfig(Section):
    """Platform user ids who are admins of every community (the secretariat)."""

    telegram: tuple[PlatformId, ...] = ()
    discord: tuple[PlatformId, ...] = ()
    console: tuple[PlatformId, ...] = ()


class TelegramConfig(Section):
    mode: Literal["polling", "webhook"] = "polling"
    api_base_url: str = "https://api.telegram.org/bot"
    listen: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8443
    public_url: str | None = None
    """Webhook URL Telegram calls (behind your reverse proxy)."""
    webhook_secret_env: str = "TELEGRAM_WEBHOOK_SECRET"
    """Name of the environment variable that holds the webhook secret token."""
    updates_in_flight: Annotated[int, Field(ge=1, le=100)] = 32
    """Polling: at most this many updates handled at once (different chats and people; each
    chat's and person's in order). Webhook mode: see ``max_connections`` in docs/delivery.md."""


MAX_SHARDS = 1024
"""More shards than any bot of this network will need (each serves up to 2,500 servers)."""


class DiscordConfig(Section):
    guild_id: PlatformId | None = None
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str | None = None
    announcements_channel_id: PlatformId | None = None
    advice_forum_id: PlatformId | None = None
    webinars_channel_id: PlatformId | None = None
    announcement_role_id: PlatformId | None = None
    networking_channel_id: PlatformId | None = None
    """A text channel where each pairing round opens a private thread for every group whose
    members are all on Discord (needs Create Private Threads); unset: they write privately."""
    read_thread_replies: bool = False
    """Ask for the privileged message content intent to read replies in channels and threads
    (forum-post answers). Direct messages are readable without it."""
    mirror_events: bool = False
    """Mirror each event as a scheduled event of the ``guild_id`` server (created, updated and
    cancelled with it); the bot needs the Manage Events permission there."""
    shards: int | Literal["auto"] | None = None
    """Run the gateway as this many shards (discord.py's ``AutoShardedClient``), or ``"auto"``:
    the count Discord recommends (``GET /gateway/bot``). Unset: one connection, which Discord
    allows up to 2,500 servers (docs/deploy.md)."""

    @field_validator("shards", mode="before")
    @classmethod
    def _shards(cls, value: object) -> object:
        if value is None or value == "auto":
            return value
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_SHARDS:
            return value
        raise ValueError(
            f'must be a number of shards from 1 to {MAX_SHARDS}, or "auto" (the count Discord '
            f"recommends), not {value!r}"
        )

    @model_validator(mode="after")
    def _mirror_needs_a_guild(self) -> DiscordConfig:
        if self.mirror_events and not self.guild_id:
            raise ValueError("mirror_events = true needs guild_id (the server to mirror into)")
        return self
