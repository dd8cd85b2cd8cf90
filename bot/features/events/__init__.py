"""Webinars and trainings: schedule, RSVP, reminders, calendars, feedback."""

from bot.features.events import feed_commands  # declares /calendar feed on the same feature
from bot.features.events.commands import feature

__all__ = ["feature", "feed_commands"]
