"""What the bot stores about you, and forgetting it."""

from bot.features.privacy.commands import feature

__all__ = ["feature"]
