"""The Knowledge Hub: catalogue, import, search, inline cards, curation help."""

from bot.features.hub import admin_commands, curation  # noqa: F401
from bot.features.hub.commands import feature

__all__ = ["feature"]
