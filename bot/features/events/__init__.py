"""Webinars and trainings: schedule, RSVP, reminders, calendars, feedback."""

# The command modules declare on `feature` when imported: import them all here.
from bot.features.events import (  # noqa: F401
    admin_commands,
    feed_commands,
    feedback,
    member_commands,
)
from bot.features.events.commands import feature

__all__ = ["feature"]
