"""Onboarding, profiles, language and time zone."""

from bot.features.profiles.commands import feature

__all__ = ["feature"]
