"""A loopback Telegram Bot API server (127.0.0.1) so the real python-telegram-bot runs end to end.

It answers ``POST /bot<token>/<method>`` like Telegram: ``{"ok": true, "result": ...}``. It feeds
``getUpdates`` (long polling) from a queue, keeps every message the bot sends with the text a
reader sees, and checks every call against the published API description (tests/specs) and
the rules the API pages state in prose (:mod:`tests.fakes.botapi_rules`: command names and
counts, parse modes, button types, edit targets, inline results, empty texts): a call that
breaks them is answered as Telegram answers, ``400`` with ``{"ok": false, "error_code": 400,
"description": "Bad Request: ..."}``, and recorded in :attr:`FakeTelegram.violations`.

Webhook mode (:meth:`FakeTelegram.deliver`): the fake POSTs an update to a webhook URL, as
Telegram does, with the secret token header, and delivers it again (to the URL the test picks
each time: a load balancer's choice of worker) until one call is answered 2xx; a call that is
refused, cut or left unanswered for ``timeout`` seconds counts as not delivered.

Faults for the fault tests: answer ``429`` with ``retry_after``, ``500``, or answer slowly
(before handling the call, ``delay``; or after handling it, ``answer_delay``: the message is in
the chat while the bot waits), and random latency on every call (:attr:`FakeTelegram.jitter`).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import io
import itertools
import json
import random
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import BodyPartReader, web
from PIL import Image

from tests.fakes.botapi_rules import call_breaches
from tests.fakes.botapi_spec import check_call, check_object
from tests.fakes.telegram_html import parse_telegram_html

BOT_ID = 777000111
BOT_USERNAME = "champions_test_bot"


PHOTO_MAX_BYTES = 10 * 1024 * 1024
"""sendPhoto: "The photo must be at most 10 MB in size"."""
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024
"""getFile: "For the moment, bots can download files of up to 20MB in size"."""


@dataclass
class Fault:
    """Answer the next ``count`` calls of ``method`` (``"*"``: any) this way."""

    method: str
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0
    count: int = 1
    answer_delay: float = 0.0
    """Handle the call (the message reaches the chat), then wait this long before answering."""
    chance: float = 1.0
    """Each matching call meets the fault with this probability (seeded), while ``count`` lasts."""


@dataclass
class Sent:
    """A message as a reader sees it, with where it went."""

    method: str
    chat_id: int
    thread_id: int | None
    text: str
    html: str | None
    message_id: int
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    document: bytes | None = None
    filename: str | None = None


@dataclass
class InlineResult:
    """One offered inline result, with the text a reader sees once it is shared."""

    id: str
    title: str
    description: str | None
    text: str
    html: str


@dataclass
class InlineAnswer:
    """An ``answerInlineQuery`` call as recorded."""

    query_id: str
    results: list[InlineResult]
    cache_time: int | None
    is_personal: bool


@dataclass
class Topic:
    """A forum topic as members see it: its name and whether it is closed."""

    chat_id: int
    thread_id: int
    name: str
    closed: bool = False
    names: list[str] = field(default_factory=list)
    """Every name it had, oldest first."""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int


@dataclass
class Delivery:
    """One webhook call: which update went where, and how it was answered (None: no answer,
    the connection was refused or cut, or the call timed out)."""

    update_id: int
    url: str
    status: int | None


def user(user_id: int, first_name: str, *, language: str | None = "en") -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language:
        data["language_code"] = language
    return data


def private_chat(person: dict[str, Any]) -> dict[str, Any]:
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group_chat(chat_id: int, title: str, *, forum: bool = False) -> dict[str, Any]:
    chat: dict[str, Any] = {
        "id": chat_id,
        "type": "supergroup" if forum else "group",
        "title": title,
    }
    if forum:
        chat["is_forum"] = True
    return chat


class FakeTelegram:
    """One fake Bot API server; start it with ``await fake.start()``."""

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

    # lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._endpoint)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        async with self._changed:  # wake long polls so the server can close at once
            self._closing = True
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # feeding updates -----------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> int:
        """Queue an update for ``getUpdates``; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        async with self._changed:
            self._queue(update)
            self._changed.notify_all()
        return int(update["update_id"])

    def _queue(self, update: dict[str, Any]) -> None:
        """Keep :attr:`_updates` in update_id order (a caller may number an update itself)."""
        bisect.insort(self._updates, update, key=lambda u: int(u["update_id"]))

    @property
    def last_pushed(self) -> int:
        """The update_id of the newest update queued (0: none yet)."""
        return max((int(u["update_id"]) for u in self._updates), default=0)

    def numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        """The update with the next update_id, kept as sent (for webhook delivery)."""
        update = {"update_id": next(self._update_ids), **update}
        self._queue(update)
        return update

    async def deliver(
        self,
        update: dict[str, Any],
        pick: Any,
        *,
        secret: str,
        answer_within: float = 10.0,
        within: float = 60.0,
        pause: float = 0.1,
    ) -> int:
        """Deliver a numbered update to the webhook as Telegram does: POST it to ``pick()`` (a
        URL, chosen anew for every attempt), and again after ``pause`` until a call is
        answered 2xx within ``answer_within`` seconds (Telegram's patience). Returns the
        number of calls it took; each is in :attr:`deliveries`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        calls = 0
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=answer_within)
        ) as web_:
            while True:
                url = str(pick())
                calls += 1
                status: int | None = None
                try:
                    async with web_.post(url, json=update, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = None
                await self._delivered(Delivery(int(update["update_id"]), url, status))
                if status is not None and 200 <= status < 300:
                    return calls
                if loop.time() > deadline:
                    raise TimeoutError(f"update {update['update_id']} never delivered")
                await asyncio.sleep(pause)

    async def _delivered(self, delivery: Delivery) -> None:
        async with self._changed:
            self.deliveries.append(delivery)
            self._changed.notify_all()

    async def redeliver(self, update_id: int) -> None:
        """Deliver an update again, as Telegram does when it thinks the bot missed it."""
        original = next(u for u in self._updates if u["update_id"] == update_id)
        async with self._changed:
            self._redeliver.append(original)
            self._changed.notify_all()

    def message(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        thread_id: int | None = None,
        reply_to: Sent | None = None,
    ) -> dict[str, Any]:
        """An update carrying ``text`` from ``sender`` in ``chat`` (a topic when ``thread_id``,
        a reply to a message the bot sent when ``reply_to``)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to.message_id,
                "date": 1_800_000_000,
                "chat": chat,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Champions Bot"},
                "text": reply_to.text,
            }
        return {"message": message}

    def document(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        filename: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/pdf",
        size: int | None = None,
    ) -> dict[str, Any]:
        """An update carrying a file (a Document) with an optional ``caption``, as a member's
        app sends it; ``size`` overrides the reported ``file_size`` (a file the fake does not
        need to hold whole)."""
        number = next(self._file_ids)
        file_id = f"BQACAgQAAx{number:06d}"
        self.files[file_id] = ("", data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{number:06d}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(data) if size is None else size,
        }
        assert not check_object("document", "Document", document)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": sender,
            "document": document,
        }
        if caption is not None:
            message["caption"] = caption
            if caption.startswith("/"):
                length = len(caption.split()[0]) if caption.split() else 1
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": length}
                ]
        assert not check_object("message", "Message", message)
        return {"message": message}

    def callback(
        self, sender: dict[str, Any], sent: Sent, data: str, *, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """An update for ``sender`` pressing a button with ``data`` under message ``sent``."""
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": 1_800_000_000,
            "chat": chat or {"id": sent.chat_id, "type": "private", "first_name": "x"},
            "text": sent.text,
        }
        if sent.thread_id is not None:
            message["message_thread_id"] = sent.thread_id
            message["is_topic_message"] = True
        return {
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": sender,
                "chat_instance": "ci",
                "message": message,
                "data": data,
            }
        }

    def inline_query(
        self, sender: dict[str, Any], query: str, *, chat_type: str = "supergroup"
    ) -> dict[str, Any]:
        """An update for ``sender`` typing ``@bot query`` in a chat of ``chat_type``."""
        return {
            "inline_query": {
                "id": f"iq{next(self._message_ids)}",
                "from": sender,
                "query": query,
                "offset": "",
                "chat_type": chat_type,
            }
        }

    async def wait_inline(self, update: dict[str, Any], within: float = 10.0) -> InlineAnswer:
        """Wait for the answer to the inline query in ``update``."""
        query_id = update["inline_query"]["id"]
        await self.wait_for(lambda: query_id in self.inline_answers, within)
        return self.inline_answers[query_id]

    # waiting --------------------------------------------------------------------------

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

    # the endpoint ---------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                if part.filename:
                    params[name] = bytes(await part.read())
                    params[f"{name}#filename"] = part.filename
                else:
                    params[name] = await part.text()
        elif request.can_read_body:
            if request.content_type == "application/json":
                params = {
                    k: v if isinstance(v, str) else json.dumps(v)
                    for k, v in (await request.json()).items()
                }
            else:
                params = dict(await request.post())
        params.update(request.query)
        return params

    def _fault(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method in (method, "*") and fault.count > 0:
                if fault.chance < 1.0 and self._random.random() >= fault.chance:
                    continue
                fault.count -= 1
                return fault
        return None

    async def _endpoint(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        files = {k[: -len("#filename")]: v for k, v in params.items() if k.endswith("#filename")}
        checked = {k: v for k, v in params.items() if not k.endswith("#filename")}
        # PTB uploads a file as an attach:// part; the field itself names the part.
        for name, value in list(checked.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                part = value[len("attach://") :]
                checked[name] = checked.pop(part, b"")
                files.setdefault(name, files.pop(part, ""))
        if self.jitter and method != "getUpdates":
            await asyncio.sleep(self._random.uniform(0, self.jitter))
        fault = self._fault(method)
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status != 200:
            await self._record(Call(method, checked, fault.status))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": fault.status,
                "description": "Too Many Requests"
                if fault.status == 429
                else "Internal Server Error",
            }
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return web.json_response(body, status=fault.status)
        errors = check_call(method, checked)
        if errors:
            self.violations.extend(errors)
            await self._record(Call(method, checked, 400))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: " + "; ".join(errors),
                },
                status=400,
            )
        breaches = call_breaches(method, checked)
        if breaches:
            self.violations.extend(f"{method}: {breach}" for breach in breaches)
            await self._record(Call(method, checked, 400))
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: " + breaches[0].description,
                },
                status=400,
            )
        handler = getattr(self, f"_m_{method}", None)
        try:
            result = await handler(checked, files) if handler else True
        except _Refused as refused:
            await self._record(Call(method, checked, refused.status))
            return web.json_response(
                {"ok": False, "error_code": refused.status, "description": refused.description},
                status=refused.status,
            )
        await self._record(Call(method, checked, 200))
        if fault is not None and fault.answer_delay:
            await asyncio.sleep(fault.answer_delay)
        return web.json_response({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # methods ----------------------------------------------------------------------------

    async def _m_getFile(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        """A File with its ``file_path``; over 20 MB, "Bad Request: file is too big"."""
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise _Refused(400, "Bad Request: invalid file_id")
        path, data = self.files[file_id]
        if len(data) > DOWNLOAD_MAX_BYTES:
            raise _Refused(400, "Bad Request: file is too big")
        if not path:
            path = f"documents/file_{len(self.downloads) + len(self.files)}_{file_id[-6:]}.bin"
            self.files[file_id] = (path, data)
        result = {
            "file_id": file_id,
            "file_unique_id": "AgAD" + file_id[-6:],
            "file_size": len(data),
            "file_path": path,
        }
        assert not check_object("getFile", "File", result)
        return result

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """``GET /file/bot<token>/<file_path>``: the bytes of a file getFile prepared."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        found = next((data for p, data in self.files.values() if p and p == path), None)
        if found is None:
            return web.Response(status=404, text="Not Found")
        self.downloads.append(path)
        return web.Response(body=found, content_type="application/octet-stream")

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Champions Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        async with self._changed:  # waiters see a confirmation when it arrives
            self.offsets.append(int(params.get("offset", 0) or 0))
            self._changed.notify_all()
        self._confirmed = max(self._confirmed, int(params.get("offset", 0) or 0))
        offset = self._confirmed
        timeout = float(params.get("timeout", 0) or 0)

        limit = int(params.get("limit", 0) or 100)

        def ready() -> list[dict[str, Any]]:
            return (self._redeliver + self._pending(offset, limit))[:limit]

        async with self._changed:
            if not ready() and timeout:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(ready()) or self._closing), timeout
                    )
            batch = ready()
            self._redeliver = []
        return batch

    def _first_pending(self, offset: int) -> int:
        """Where the first update numbered ``offset`` or more sits: updates are numbered as they
        are queued, so a search, not a walk of every update ever queued (a long bench made
        each getUpdates slower than the last, and billed it to the bot under test)."""
        return bisect.bisect_left(self._updates, offset, key=lambda u: int(u["update_id"]))

    def _pending(self, offset: int, limit: int) -> list[dict[str, Any]]:
        start = self._first_pending(offset)
        return self._updates[start : start + limit]

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates) - self._first_pending(self._confirmed),
        }
        if self.webhook_error:
            info["last_error_date"] = 1_795_000_000
            info["last_error_message"] = self.webhook_error
        return info

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        scope = params.get("scope", '{"type": "default"}')
        key = (json.dumps(json.loads(scope), sort_keys=True), params.get("language_code", ""))
        self.commands[key] = json.loads(params["commands"])
        return True

    async def _m_deleteMyCommands(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        self.answered_callbacks.append(params)
        return True

    async def _m_answerInlineQuery(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        """Record the offered results as readers would see them once shared (the checks
        already parsed their HTML and refused too many, duplicate ids and empty texts); a
        query can be answered once."""
        query_id = params["inline_query_id"]
        if query_id in self.inline_answers:
            raise _Refused(400, "Bad Request: query is too old and response timeout expired")
        raw = json.loads(params["results"])
        results = []
        for item in raw:
            content = item["input_message_content"]
            source = content["message_text"]
            html_mode = content.get("parse_mode") == "HTML"
            text = parse_telegram_html(source) if html_mode else source
            results.append(
                InlineResult(item["id"], item["title"], item.get("description"), text, source)
            )
        cache = params.get("cache_time")
        self.inline_answers[query_id] = InlineAnswer(
            query_id,
            results,
            int(cache) if cache is not None else None,
            str(params.get("is_personal", "")).lower() == "true",
        )
        return True

    def _message(self, chat_id: int, thread_id: int | None, text: str) -> dict[str, Any]:
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": "someone"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "group"}
        )
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_800_000_000,
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Champions Bot"},
        }
        if text:
            message["text"] = text
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        return message

    def _target(self, params: dict[str, Any]) -> tuple[int, int | None]:
        chat_id = int(params["chat_id"])
        thread = params.get("message_thread_id")
        thread_id = int(thread) if thread is not None else None
        if chat_id in self.blocked_users:
            raise _Refused(403, "Forbidden: bot can't initiate conversation with a user")
        if thread_id == 1:
            raise _Refused(400, "Bad Request: message thread not found")
        return chat_id, thread_id

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        source = params["text"]
        text = parse_telegram_html(source) if params.get("parse_mode") == "HTML" else source
        message = self._message(chat_id, thread_id, text)
        keyboard = json.loads(params.get("reply_markup", "{}")).get("inline_keyboard", [])
        self.sent.append(
            Sent("sendMessage", chat_id, thread_id, text, source, message["message_id"], keyboard)
        )
        return message

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        document = params["document"]
        if not isinstance(document, bytes):
            raise _Refused(400, "Bad Request: document must be uploaded")
        message = self._message(chat_id, thread_id, "")
        filename = files.get("document") or "file"
        message["document"] = {"file_id": "f1", "file_unique_id": "u1", "file_name": filename}
        caption = params.get("caption", "")
        self.sent.append(
            Sent(
                "sendDocument",
                chat_id,
                thread_id,
                caption,
                caption,
                message["message_id"],
                document=document,
                filename=filename,
            )
        )
        return message

    async def _m_sendPhoto(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        """A picture shown in the chat; refused as Telegram refuses it (size, dimensions)."""
        chat_id, thread_id = self._target(params)
        photo = params["photo"]
        if not isinstance(photo, bytes):
            raise _Refused(400, "Bad Request: photo must be uploaded")
        if len(photo) > PHOTO_MAX_BYTES:
            raise _Refused(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        try:
            width, height = Image.open(io.BytesIO(photo)).size
        except OSError:
            raise _Refused(400, "Bad Request: IMAGE_PROCESS_FAILED") from None
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise _Refused(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        message = self._message(chat_id, thread_id, "")
        size = {"file_id": "p1", "file_unique_id": "pu1", "width": width, "height": height}
        message["photo"] = [size]
        caption = params.get("caption", "")
        filename = files.get("photo") or "photo"
        self.sent.append(
            Sent(
                "sendPhoto", chat_id, thread_id, caption, caption, message["message_id"],
                document=photo, filename=filename,
            )
        )  # fmt: skip
        return message

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        return self._message(chat_id, thread_id, params["text"])

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id, thread_id = self._target(params)
        return self._message(chat_id, thread_id, "edited")

    # forum topics --------------------------------------------------------------------

    def _forum(self, params: dict[str, Any]) -> int:
        chat_id = int(params["chat_id"])
        if chat_id not in self.forums:
            raise _Refused(400, "Bad Request: the chat is not a forum")
        if not self.forums[chat_id]:
            raise _Refused(400, "Bad Request: not enough rights to manage topics")
        return chat_id

    def _topic(self, params: dict[str, Any]) -> Topic:
        key = (self._forum(params), int(params["message_thread_id"]))
        if key not in self.topics:
            raise _Refused(400, "Bad Request: message thread not found")
        return self.topics[key]

    async def _m_createForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        chat_id = self._forum(params)
        thread_id = next(self._topic_ids)
        name = params["name"]
        self.topics[(chat_id, thread_id)] = Topic(chat_id, thread_id, name, names=[name])
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    async def _m_editForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if params.get("name"):
            topic.name = params["name"]
            topic.names.append(topic.name)
        return True

    async def _m_deleteForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        del self.topics[(topic.chat_id, topic.thread_id)]
        return True

    async def _m_closeForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if topic.closed:
            raise _Refused(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic.closed = True
        return True

    async def _m_reopenForumTopic(self, params: dict[str, Any], files: dict[str, str]) -> Any:
        topic = self._topic(params)
        if not topic.closed:
            raise _Refused(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic.closed = False
        return True


class _Refused(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
