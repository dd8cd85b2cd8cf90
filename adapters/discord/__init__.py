"""The Discord adapter: discord.py client, slash commands from the registry, Messenger port."""

from adapters.discord.adapter import DiscordBot, run_discord
from adapters.discord.messenger import DiscordMessenger

__all__ = ["DiscordBot", "DiscordMessenger", "run_discord"]
