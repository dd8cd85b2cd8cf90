"""Calls for contributors: speaking slots, reviewers, case studies; and recognition."""

from bot.features.calls import admin_commands, reminders  # noqa: F401
from bot.features.calls.commands import feature

__all__ = ["feature"]
