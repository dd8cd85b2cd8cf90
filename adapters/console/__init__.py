"""The console adapter: try the bot with no tokens, or drive it from a script."""

from adapters.console.adapter import ConsoleAdapter, ConsoleMessenger

__all__ = ["ConsoleAdapter", "ConsoleMessenger"]
