"""Reading the configuration: the TOML file, the environment, and errors that name the key."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import ValidationError

from bot.config.settings import Settings

CONFIG_ENV = "CHAMPIONS_BOT_CONFIG"
DATABASE_URL_ENV = "CHAMPIONS_BOT_DATABASE_URL"
TELEGRAM_TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
DISCORD_TOKEN_ENV = "DISCORD_BOT_TOKEN"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and what is allowed."""


def _describe(error: ValidationError, source: str) -> str:
    lines = [f"Invalid configuration in {source}:"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (see config.example.toml for the keys there are)"
        elif item["type"] == "literal_error":
            message = message.replace("Input should be", "allowed values are")
        lines.append(f"  {key}: {message}")
    return "\n".join(lines)


def load_settings(path: str | Path | None = None, *, database_url: str | None = None) -> Settings:
    """Read and check the configuration; raise :class:`ConfigError` with a clear message."""
    chosen = path or os.environ.get(CONFIG_ENV)
    data: dict[str, object] = {}
    source = "the defaults"
    if chosen:
        source = str(chosen)
        try:
            data = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"Config file not found: {chosen}") from None
        except IsADirectoryError:
            raise ConfigError(f"Config file {chosen} is a folder; give the TOML file") from None
        except UnicodeDecodeError as error:
            raise ConfigError(
                f"Config file {chosen} is not UTF-8 text (byte {error.start}); save it as UTF-8"
            ) from None
        except OSError as error:
            raise ConfigError(f"Config file {chosen} cannot be read: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"Config file {chosen} is not valid TOML: {error}") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_describe(error, source)) from None
    url = database_url or os.environ.get(DATABASE_URL_ENV)
    if url:
        storage = settings.storage.model_copy(update={"url": url})
        settings = settings.model_copy(update={"storage": storage})
    if not settings.storage.url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            f"Invalid configuration in {source}:\n  storage.url: must start with "
            "'sqlite+aiosqlite://' or 'postgresql+asyncpg://'"
        )
    return settings


def token(name: str) -> str | None:
    """A platform token from the environment, or ``None`` when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None
