"""Champions' stories for the newsletter, with review."""

from bot.features.stories.commands import feature

__all__ = ["feature"]
