"""The Knowledge Hub: catalogue, import, search, inline cards."""

from bot.features.hub.commands import feature

__all__ = ["feature"]
