"""Networking: pairing rounds (/meet), introductions across platforms, follow-up, /find."""

from bot.features.networking import admin_commands, directory, followup  # noqa: F401
from bot.features.networking.commands import feature

__all__ = ["feature"]
