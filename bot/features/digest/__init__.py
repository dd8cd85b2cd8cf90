"""The weekly digest for the champions and the newsletter."""

from bot.features.digest.commands import feature

__all__ = ["feature"]
