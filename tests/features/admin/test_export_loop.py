"""A long export never holds up a member's request (issue 17, point 3).

The export's document is written in a worker thread: here the writing is held on a
``threading.Event`` until the member's ``/help`` has been answered. Written in the event loop,
the held export would stall the loop, ``/help`` would wait for it, and the hold would time out.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from bot.app import BotApp
from bot.features.admin import exports
from tests.helpers import eventually, say, texts

HOLD = 20.0
"""How long the held export waits at most: long enough for any loaded box to answer /help."""


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
async def test_a_member_is_answered_while_an_export_is_written(
    app: BotApp, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    await say(app, "amina", "/profile set publish yes")
    for known in ("sofia", "lucia"):  # a first message writes the member: not this test's case
        await say(app, known, "/start")
    writing = threading.Event()
    release = threading.Event()
    held: list[bool] = []
    build = exports.build

    def slow_build(*args: Any) -> str:
        writing.set()
        held.append(release.wait(HOLD))  # False: the loop never got to release it
        return build(*args)

    monkeypatch.setattr(exports, "build", slow_build)
    exporting = asyncio.create_task(say(app, "sofia", f"/export profiles {fmt}"))
    await eventually(writing.is_set, within=HOLD)

    helped = await say(app, "lucia", "/help")

    release.set()
    exported = await exporting
    assert "What I can do for you" in texts(helped)
    assert held == [True], "the export held the event loop until its hold timed out"
    assert exported[0].attachments[0].filename.endswith(f".{'md' if fmt == 'markdown' else fmt}")
    assert b"amina" in exported[0].attachments[0].data.lower()
