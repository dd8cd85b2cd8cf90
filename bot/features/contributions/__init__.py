"""Contributions: champions share resources and write up good practices; admins review them."""

from bot.features.contributions import practice_commands as _practice  # noqa: F401
from bot.features.contributions import recognition as _recognition  # noqa: F401
from bot.features.contributions.commands import feature

__all__ = ["feature"]
