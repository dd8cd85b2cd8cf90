"""The Discord adapter: discord.py client, slash commands from the registry, Messenger port."""

from pathlib import Path

from adapters.discord.adapter import DiscordBot, run_discord
from adapters.discord.messenger import DiscordMessenger
from bot.core.i18n import add_catalogs

add_catalogs(Path(__file__).parent / "locales")  # this adapter's own messages

__all__ = ["DiscordBot", "DiscordMessenger", "run_discord"]
