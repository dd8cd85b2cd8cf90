"""The leadership self-assessment (/assess): a framework as data, a guided chat on every
platform, results as a radar picture with advice, history, exports and network aggregates."""

from bot.features.assessment import network_commands, own_commands, retake  # noqa: F401
from bot.features.assessment.commands import feature

__all__ = ["feature"]
