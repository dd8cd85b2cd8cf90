"""A loopback Telegram Bot API server (127.0.0.1) so the real python-telegram-bot runs end to end.

It answers ``POST /bot<token>/<method>`` like Telegram: ``{"ok": true, "result": ...}``. It feeds
``getUpdates`` (long polling) from a queue, keeps every message the bot sends with the text a
reader sees, and checks every call against the published API description (tests/specs) and
the rules the API pages state in prose (:mod:`tests.fakes.botapi_rules`); it can deliver
updates to a webhook, and meet calls with faults (rate limits, failures, latency).

One module per job, one class for tests (:class:`FakeTelegram`), composed here from mixins:

- :mod:`.base`: the server's state, the record of calls, and waiting for what the bot does;
- :mod:`.server`: starting and stopping, reading each call, the checks and the dispatch;
- :mod:`.faults`: :class:`Fault`, answers with 429 or 500, slowly, or with random latency;
- :mod:`.updates`: the update queue, ``getUpdates`` long polling, webhook delivery;
- :mod:`.incoming`: the updates members' apps send (messages, documents, buttons, inline);
- :mod:`.messages`: sending and editing messages, documents and photos;
- :mod:`.files`: ``getFile`` and file downloads;
- :mod:`.topics`: forum topics;
- :mod:`.profile`: ``getMe`` and the command menus;
- :mod:`.answers`: answers to button presses and inline queries;
- :mod:`.records` and :mod:`.people`: the records tests read, the people and chats they build.
"""

from __future__ import annotations

from tests.fakes.telegram_api.answers import TelegramAnswers
from tests.fakes.telegram_api.faults import Fault
from tests.fakes.telegram_api.files import DOWNLOAD_MAX_BYTES
from tests.fakes.telegram_api.incoming import TelegramIncoming
from tests.fakes.telegram_api.messages import PHOTO_MAX_BYTES, TelegramMessages
from tests.fakes.telegram_api.people import BOT_ID, BOT_USERNAME, group_chat, private_chat, user
from tests.fakes.telegram_api.profile import TelegramProfile
from tests.fakes.telegram_api.records import Call, Delivery, InlineAnswer, InlineResult, Sent, Topic
from tests.fakes.telegram_api.server import TelegramServer
from tests.fakes.telegram_api.topics import TelegramTopics
from tests.fakes.telegram_api.updates import TelegramUpdates


class FakeTelegram(
    TelegramServer,
    TelegramUpdates,
    TelegramIncoming,
    TelegramMessages,
    TelegramTopics,
    TelegramProfile,
    TelegramAnswers,
):
    """One fake Bot API server; start it with ``await fake.start()``."""


__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "DOWNLOAD_MAX_BYTES",
    "PHOTO_MAX_BYTES",
    "Call",
    "Delivery",
    "FakeTelegram",
    "Fault",
    "InlineAnswer",
    "InlineResult",
    "Sent",
    "Topic",
    "group_chat",
    "private_chat",
    "user",
]
