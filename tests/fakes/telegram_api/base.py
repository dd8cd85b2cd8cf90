"""What every part of the fake holds: the state of one fake Bot API server, and waiting on it.

The fake is cut by job (the server and its checks, faults, the update queue and the webhook,
incoming updates, messages, files, forum topics, the bot's profile, answers), each part a mixin
on this base, so :class:`~tests.fakes.telegram_api.FakeTelegram` stays one class with one
constructor. Calls are recorded under the condition tests wait on, so a waiter sees a call as
soon as it is answered.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.telegram_api.records import Call, Delivery, InlineAnswer, Sent, Topic

if TYPE_CHECKING:
    from tests.fakes.telegram_api.faults import Fault


class _Refused(Exception):
    """A call refused as Telegram refuses it: the server answers with this status and text."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class FakeTelegramBase:
    """The state of one fake Bot API server: what the bot called and sent, and what tests set."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        """(scope as JSON, language code) → commands set with setMyCommands."""
        self.answered_callbacks: list[dict[str, Any]] = []
        self.inline_answers: dict[str, InlineAnswer] = {}
        """Answers to inline queries, by query id."""
        self.blocked_users: set[int] = set()
        """Users who never opened a private chat with the bot: sending to them is Forbidden."""
        self.webhook: dict[str, Any] | None = None
        self.webhook_error: str | None = None
        """What getWebhookInfo reports as the last failed delivery to the webhook."""
        self.forums: dict[int, bool] = {}
        """Forum supergroups: chat id → whether the bot may manage topics there."""
        self.topics: dict[tuple[int, int], Topic] = {}
        """Forum topics the bot opened, by (chat id, message_thread_id)."""
        self._topic_ids = itertools.count(5000)
        self._updates: list[dict[str, Any]] = []
        self._redeliver: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self.deliveries: list[Delivery] = []
        """Every webhook call :meth:`deliver` made, in order."""
        self._confirmed = 0
        self.offsets: list[int] = []
        """The ``offset`` of every getUpdates call, as it arrived (0: none): what was confirmed
        when, since a call is recorded in :attr:`calls` only once it is answered."""
        """Updates below this id were confirmed (a later ``offset`` passed them): as Telegram
        does, they are never sent again, with or without an ``offset``."""
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._closing = False
        self.jitter = 0.0
        """Every call waits a random 0..jitter seconds before it is handled (network latency)."""
        self._random = random.Random(14)
        self.files: dict[str, tuple[str, bytes]] = {}
        """Files people sent, by file_id: (file_path once getFile was called, content)."""
        self.downloads: list[str] = []
        """Every file path the bot downloaded (``GET /file/bot<token>/<file_path>``)."""
        self._file_ids = itertools.count(1)

    # records and waiting ---------------------------------------------------------------

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def wait_for(self, predicate: Any, within: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (checked after every call the bot makes)."""

        async def check() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(check(), within)

    async def wait_sent(self, count: int, within: float = 10.0) -> list[Sent]:
        await self.wait_for(lambda: len(self.sent) >= count, within)
        return self.sent

    def sent_to(self, chat_id: int, thread_id: int | None = None) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id and s.thread_id == thread_id]

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]
