"""Champions Bot: a chat bot for networks of gender-equality champions."""

__version__ = "0.1.0"
