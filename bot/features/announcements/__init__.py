"""Announcements through the durable outbox, with a final count."""

from bot.features.announcements.commands import feature

__all__ = ["feature"]
