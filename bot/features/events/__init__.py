"""Webinars and trainings: schedule, RSVP, reminders, calendars, feedback."""

# The command modules declare on `feature` when imported: import them all here.
from bot.features.events import admin_commands, feedback, member_commands  # noqa: F401
from bot.features.events.commands import feature

__all__ = ["feature"]
