"""One member across Telegram and Discord (one-time codes)."""

from bot.features.linking.commands import feature

__all__ = ["feature"]
