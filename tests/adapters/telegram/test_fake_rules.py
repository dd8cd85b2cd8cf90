"""The loopback Bot API refuses what Telegram refuses, and answers as Telegram does.

One case per documented limit or rule (the lengths the spec's field descriptions state, and the
prose rules of tests/fakes/botapi_rules.py): each call goes over HTTP to the fake, which must
answer ``{"ok": false, "error_code": 400, "description": "Bad Request: ..."}``; the same call
made valid is accepted, so each case fails for its rule alone.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_html import HTMLParseError, parse_telegram_html

FORUM_ID = -100300


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    server.forums[FORUM_ID] = True
    yield server
    await server.stop()


async def call(fake: FakeTelegram, method: str, params: dict[str, Any]) -> tuple[int, Any]:
    """Post as python-telegram-bot does: JSON, or a form with the file when there is one."""
    body: dict[str, Any] = {"json": params}
    if any(isinstance(value, bytes) for value in params.values()):
        form = aiohttp.FormData()
        for name, value in params.items():
            if isinstance(value, bytes):
                form.add_field(name, value, filename="agenda.ics")
            else:
                form.add_field(name, value if isinstance(value, str) else json.dumps(value))
        body = {"data": form}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}{fake.token}/{method}", **body) as response,
    ):
        return response.status, await response.json()


def keyboard(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


def commands(*names: str, description: str = "Help") -> list[dict[str, str]]:
    return [{"command": name, "description": description} for name in names]


def article(result_id: str, text: str = "Resource", **content: Any) -> dict[str, Any]:
    return {
        "type": "article",
        "id": result_id,
        "title": "A resource",
        "input_message_content": {"message_text": text, **content},
    }


def message(text: str, **params: Any) -> dict[str, Any]:
    return {"chat_id": 101, "text": text, **params}


Case = tuple[str, str, dict[str, Any], dict[str, Any]]
"""(what, method, params breaking it, the same params keeping it)."""

CASES: list[Case] = [
    ("text 1-4096", "sendMessage", message("x" * 4097), message("x" * 4096)),
    (
        "text counted after entity parsing, in UTF-16",
        "sendMessage",
        message("<b>" + "🎉" * 2049 + "</b>", parse_mode="HTML"),
        message("<b>" + "🎉" * 2048 + "</b>", parse_mode="HTML"),
    ),
    ("text-empty", "sendMessage", message("<b> </b>", parse_mode="HTML"), message("<b>x</b>")),
    ("html: unknown tag", "sendMessage", message("<p>x</p>", parse_mode="HTML"), message("x")),
    (
        "html: escaping",
        "sendMessage",
        message("a < b & c", parse_mode="HTML"),
        message("a &lt; b &amp; c", parse_mode="HTML"),
    ),
    (
        "html: nesting",
        "sendMessage",
        message('<a href="https://a.org"><code>x</code></a>', parse_mode="HTML"),
        message('<code>x</code> <a href="https://a.org"><b>x</b></a>', parse_mode="HTML"),
    ),
    (
        "caption 0-1024",
        "sendDocument",
        {"chat_id": "101", "document": b"BEGIN:VCALENDAR", "caption": "x" * 1025},
        {"chat_id": "101", "document": b"BEGIN:VCALENDAR", "caption": "x" * 1024},
    ),
    (
        "callback_data 1-64 bytes",
        "sendMessage",
        message("x", reply_markup=keyboard({"text": "Go", "callback_data": "é" * 33})),
        message("x", reply_markup=keyboard({"text": "Go", "callback_data": "é" * 32})),
    ),
    (
        "button-type",
        "sendMessage",
        message(
            "x", reply_markup=keyboard({"text": "Go", "callback_data": "a", "url": "https://a.org"})
        ),
        message("x", reply_markup=keyboard({"text": "Go", "url": "https://a.org"})),
    ),
    (
        "button-type",
        "sendMessage",
        message("x", reply_markup=keyboard({"text": "Go"})),
        message("x", reply_markup=keyboard({"text": "Go", "callback_data": "a"})),
    ),
    (
        "button-text",
        "sendMessage",
        message("x", reply_markup=keyboard({"text": " ", "callback_data": "a"})),
        message("x", reply_markup=keyboard({"text": "Go", "callback_data": "a"})),
    ),
    ("parse-mode", "sendMessage", message("x", parse_mode="html"), message("x", parse_mode="HTML")),
    (
        "parse-mode",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article("1", parse_mode="HTM")]},
        {"inline_query_id": "q1", "results": [article("1", parse_mode="HTML")]},
    ),
    (
        "command-name",
        "setMyCommands",
        {"commands": commands("search-advice")},
        {"commands": commands("search_advice")},
    ),
    (
        "command-name",
        "setMyCommands",
        {"commands": commands("Help")},
        {"commands": commands("help")},
    ),
    (
        "command 1-32",
        "setMyCommands",
        {"commands": commands("x" * 33)},
        {"commands": commands("x" * 32)},
    ),
    (
        "command description 1-256",
        "setMyCommands",
        {"commands": commands("help", description="x" * 257)},
        {"commands": commands("help", description="x" * 256)},
    ),
    (
        "command description 1-256",
        "setMyCommands",
        {"commands": commands("help", description="")},
        {"commands": commands("help", description="x")},
    ),
    (
        "commands-count",
        "setMyCommands",
        {"commands": commands(*(f"c{i}" for i in range(101)))},
        {"commands": commands(*(f"c{i}" for i in range(100)))},
    ),
    (
        "language-code",
        "setMyCommands",
        {"commands": commands("help"), "language_code": "fr-FR"},
        {"commands": commands("help"), "language_code": "fr"},
    ),
    (
        "answerCallbackQuery text 0-200",
        "answerCallbackQuery",
        {"callback_query_id": "1", "text": "x" * 201},
        {"callback_query_id": "1", "text": "x" * 200},
    ),
    (
        "inline-results",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article(str(i)) for i in range(51)]},
        {"inline_query_id": "q1", "results": [article(str(i)) for i in range(50)]},
    ),
    (
        "inline-results",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article("1"), article("1")]},
        {"inline_query_id": "q1", "results": [article("1"), article("2")]},
    ),
    (
        "inline-results",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article("1")], "next_offset": "x" * 65},
        {"inline_query_id": "q1", "results": [article("1")], "next_offset": "x" * 64},
    ),
    (
        "inline result id 1-64 bytes",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article("x" * 65)]},
        {"inline_query_id": "q1", "results": [article("x" * 64)]},
    ),
    (
        "text-empty",
        "answerInlineQuery",
        {"inline_query_id": "q1", "results": [article("1", text=" ")]},
        {"inline_query_id": "q1", "results": [article("1", text="x")]},
    ),
    (
        "topic name 1-128",
        "createForumTopic",
        {"chat_id": FORUM_ID, "name": "x" * 129},
        {"chat_id": FORUM_ID, "name": "x" * 128},
    ),
    (
        "edit-target",
        "editMessageText",
        {"chat_id": 101, "text": "x"},
        {"chat_id": 101, "message_id": 1, "text": "x"},
    ),
    (
        "edit-target",
        "editMessageText",
        {"chat_id": 101, "message_id": 1},
        {"chat_id": 101, "message_id": 1, "text": "x"},
    ),
    (
        "edit-target",
        "editMessageReplyMarkup",
        {"message_id": 1},
        {"chat_id": 101, "message_id": 1},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
async def test_the_fake_refuses_each_documented_rule(fake: FakeTelegram, case: Case) -> None:
    what, method, breaking, keeping = case
    status, answer = await call(fake, method, breaking)
    assert status == 400, f"{what}: accepted {breaking}"
    assert answer["ok"] is False and answer["error_code"] == 400
    assert answer["description"].startswith("Bad Request: ")
    assert fake.violations
    fake.violations.clear()
    status, answer = await call(fake, method, keeping)
    assert (status, fake.violations) == (200, []), answer


def test_every_rule_of_the_docstring_has_a_case() -> None:
    from tests.fakes import botapi_rules

    documented = {
        line.split("``")[1]
        for line in (botapi_rules.__doc__ or "").splitlines()
        if line.startswith("- ``")
    }
    assert documented <= {case[0] for case in CASES}


async def test_answers_use_telegrams_own_descriptions(fake: FakeTelegram) -> None:
    _, answer = await call(fake, "setMyCommands", {"commands": commands("Help")})
    assert answer == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: BOT_COMMAND_INVALID ('Help')",
    }
    _, answer = await call(fake, "sendMessage", message(" "))
    assert answer["description"] == "Bad Request: message text is empty"


@pytest.mark.parametrize(
    "bad",
    [
        '<span class="spoiler">x</span>',
        "<span>x</span>",
        '<code class="language-python">x</code>',
        '<pre><code class="python">x</code></pre>',
        "<pre><b>x</b></pre>",
        "<blockquote><blockquote>x</blockquote></blockquote>",
        '<a href="https://a.org"><blockquote>x</blockquote></a>',
        '<a href="https://a.org"><a href="https://b.org">x</a></a>',
        '<a href="https://a.org"><b><code>x</code></b></a>',
        '<code><a href="https://a.org">x</a></code>',
        "<tg-emoji>👍</tg-emoji>",
        '<tg-time unix="soon">x</tg-time>',
        '<tg-time unix="1647531900" format="x">x</tg-time>',
        '<a href="">x</a>',
        "&apos;",
    ],
)
def test_the_html_checker_refuses_what_the_formatting_page_forbids(bad: str) -> None:
    with pytest.raises(HTMLParseError):
        parse_telegram_html(bad)


@pytest.mark.parametrize(
    "good",
    [
        '<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler>',
        '<pre><code class="language-python">x = 1</code></pre>',
        "<pre>x</pre> <code>y</code>",
        '<b>bold <i>italic <s>strike <span class="tg-spoiler">all</span></s> <u>u</u></i></b>',
        '<blockquote expandable>x <a href="https://a.org">link</a> <code>c</code></blockquote>',
        '<a href="https://a.org"><b>bold</b> link</a>',
        "<b><blockquote>quoted in bold</blockquote></b>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        '<tg-time unix="1647531900" format="wDT">22:45 tomorrow</tg-time>',
        '<tg-time unix="1647531900">22:45</tg-time> <tg-time unix="1" format="r">now</tg-time>',
    ],
)
def test_the_html_checker_accepts_every_documented_form(good: str) -> None:
    parse_telegram_html(good)


def test_json_bodies_and_form_bodies_are_checked_alike() -> None:
    from tests.fakes.botapi_rules import call_breaches

    as_form = {"commands": json.dumps(commands("Help"))}
    assert [b.rule for b in call_breaches("setMyCommands", as_form)] == ["command-name"]


async def test_get_updates_serves_from_the_offset_and_counts_only_what_is_pending(
    fake: FakeTelegram,
) -> None:
    """Telegram forgets what an offset confirmed: pending_update_count counts the rest, and
    getUpdates serves from the offset in update_id order, an update numbered by its sender
    included."""
    person = {"id": 501, "is_bot": False, "first_name": "Amina"}
    chat = {"id": 501, "type": "private", "first_name": "Amina"}
    pushed = [await fake.push(fake.message(chat, person, f"/echo {n}")) for n in range(5)]
    late = await fake.push({"update_id": pushed[0] - 10, **fake.message(chat, person, "/early")})
    _, info = await call(fake, "getWebhookInfo", {})
    assert info["result"]["pending_update_count"] == 6
    _, first = await call(fake, "getUpdates", {"limit": 2})
    assert [u["update_id"] for u in first["result"]] == [late, pushed[0]]
    _, rest = await call(fake, "getUpdates", {"offset": pushed[2], "limit": 100})
    assert [u["update_id"] for u in rest["result"]] == pushed[2:]
    _, info = await call(fake, "getWebhookInfo", {})
    assert info["result"]["pending_update_count"] == 3
