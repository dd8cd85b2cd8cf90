"""What every configuration section shares: unknown keys refused, and the checked field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from bot.core.arguments import canonical_timezone
from bot.core.i18n import SUPPORTED_LANGUAGES
from bot.core.timezones import suggest_zones


class Section(BaseModel):
    """A section of the config file: an unknown key is an error (a typo never goes unseen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_zone(value: str) -> str:
    """An IANA time zone in its canonical spelling, or an error that suggests the likely ones."""
    zone = canonical_timezone(value)
    if zone is None:
        likely = " or ".join(repr(z) for z in suggest_zones(value, limit=3) if "/" in z)
        hint = f"did you mean {likely}?" if likely else "e.g. 'Europe/Madrid'"
        raise ValueError(f"unknown IANA time zone {value!r} ({hint})")
    return zone


def _id_text(value: object) -> object:
    """A platform id written as a TOML integer (``guild_id = 1234...``, what people paste
    from Discord or Telegram) is the same id as the quoted one. TOML integers are exact, so
    an 18-digit Discord id loses nothing."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


PlatformId = Annotated[str, BeforeValidator(_id_text)]
"""A Discord, Telegram or console id: quoted or not in the file, a string here."""


def check_language(value: str) -> str:
    """One of the languages the bot speaks."""
    if value not in SUPPORTED_LANGUAGES:
        raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
    return value
