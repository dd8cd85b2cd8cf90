"""Configuration: a TOML file checked by pydantic; secrets only from the environment.

Precedence: ``--config PATH``, else ``$CHAMPIONS_BOT_CONFIG``, else built-in defaults. The
database URL may also come from ``$CHAMPIONS_BOT_DATABASE_URL``, which wins over the file.
Tokens (``TELEGRAM_BOT_TOKEN``, ``DISCORD_BOT_TOKEN``) are never read from a file.

The sections' models live in :mod:`bot.config.sections` and :mod:`bot.config.platforms`, the
whole file's in :mod:`bot.config.settings`, the reading in :mod:`bot.config.loading`; the rest
of the bot imports them from here.
"""

from bot.config.base import PlatformId
from bot.config.loading import (
    CONFIG_ENV,
    DATABASE_URL_ENV,
    DISCORD_TOKEN_ENV,
    TELEGRAM_TOKEN_ENV,
    ConfigError,
    load_settings,
    token,
)
from bot.config.platforms import MAX_SHARDS, AdminsConfig, DiscordConfig, TelegramConfig
from bot.config.sections import (
    DEFAULT_DATABASE_URL,
    AdviceConfig,
    AssessmentConfig,
    ChatLink,
    CommunityConfig,
    ContributionsConfig,
    HttpConfig,
    HubConfig,
    LoggingConfig,
    PrivacyConfig,
    RemindersConfig,
    StorageConfig,
)
from bot.config.settings import Settings

__all__ = [
    "CONFIG_ENV",
    "DATABASE_URL_ENV",
    "DEFAULT_DATABASE_URL",
    "DISCORD_TOKEN_ENV",
    "MAX_SHARDS",
    "TELEGRAM_TOKEN_ENV",
    "AdminsConfig",
    "AdviceConfig",
    "AssessmentConfig",
    "ChatLink",
    "CommunityConfig",
    "ConfigError",
    "ContributionsConfig",
    "DiscordConfig",
    "HttpConfig",
    "HubConfig",
    "LoggingConfig",
    "PlatformId",
    "PrivacyConfig",
    "RemindersConfig",
    "Settings",
    "StorageConfig",
    "TelegramConfig",
    "load_settings",
    "token",
]
