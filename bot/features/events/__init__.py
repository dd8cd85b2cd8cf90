"""Webinars and trainings: schedule, RSVP, reminders, calendars, feedback."""

from bot.features.events.commands import feature

__all__ = ["feature"]
