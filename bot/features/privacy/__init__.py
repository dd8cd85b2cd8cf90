"""What the bot stores about you, and forgetting it."""

from bot.features.privacy import retention  # noqa: F401  (its job declares on `feature`)
from bot.features.privacy.commands import feature

__all__ = ["feature"]
