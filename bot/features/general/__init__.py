"""Help and cancel: what a member can always do."""

from bot.features.general import housekeeping  # noqa: F401  (its job declares on `feature`)
from bot.features.general.commands import feature

__all__ = ["feature"]
