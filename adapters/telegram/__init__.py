"""The Telegram adapter: python-telegram-bot in, core requests; core replies out, Bot API calls.

``run_telegram`` is what ``champions-bot run`` starts when ``TELEGRAM_BOT_TOKEN`` is set.
"""

from pathlib import Path

from adapters.telegram.adapter import TelegramAdapter, run_telegram
from adapters.telegram.application import Tuning, build_application
from adapters.telegram.messenger import TelegramMessenger
from bot.core.i18n import add_catalogs

add_catalogs(Path(__file__).parent / "locales")  # this adapter's own messages

__all__ = ["TelegramAdapter", "TelegramMessenger", "Tuning", "build_application", "run_telegram"]
