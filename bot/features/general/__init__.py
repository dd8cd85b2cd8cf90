"""Help and cancel: what a member can always do."""

from bot.features.general.commands import feature

__all__ = ["feature"]
