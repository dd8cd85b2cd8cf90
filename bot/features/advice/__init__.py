"""Peer advice threads: ask, answer across platforms, solve, search, nudge."""

from bot.features.advice import moderation, rerender  # noqa: F401  (they declare on `feature`)
from bot.features.advice.commands import feature

__all__ = ["feature"]
