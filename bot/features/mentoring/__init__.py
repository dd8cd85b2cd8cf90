"""Mentoring: offers, requests, assignment with reasons, the mentor's answer (issue 15)."""

from bot.features.mentoring.commands import feature

__all__ = ["feature"]
