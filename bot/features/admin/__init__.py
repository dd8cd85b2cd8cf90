"""The roster, stats, audit and exports for the hub website."""

from bot.features.admin.commands import feature

__all__ = ["feature"]
