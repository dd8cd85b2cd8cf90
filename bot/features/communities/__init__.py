"""Several communities in one deployment; per-community admins."""

from bot.features.communities.commands import feature

__all__ = ["feature"]
