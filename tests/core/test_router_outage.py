"""The router lets a storage outage out, so the adapter keeps the update; it never apologizes
for an outage as for a bug, and the retry after it has one effect."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.app import BotApp
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Reply, Request, RequestKind
from storage.errors import StorageUnavailable
from tests.helpers import actor, private, say, texts


async def test_storage_lost_inside_a_handler_leaves_the_router_and_commits_nothing(
    app: BotApp, caplog: pytest.LogCaptureFixture
) -> None:
    down = True

    async def flaky(ctx: CommandContext, **_: Any) -> Reply:
        ctx.member.display_name = "changed"
        if down:  # what the engine raises when the connection dies mid-handler
            raise StorageUnavailable("connection was closed in the middle of operation")
        return ctx.reply("done once")

    app.registry.command("flaky", description=N_("Admin only"))(flaky)
    await say(app, "amina", "/start")
    caplog.set_level(logging.WARNING)
    with pytest.raises(StorageUnavailable):
        await say(app, "amina", "/flaky", update_id="u1")
    assert not [r for r in caplog.records if r.exc_info]  # no "handler failed" traceback
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", "amina")
        assert member is not None and member.display_name == "Amina"
        assert not await uow.updates.seen("console", "u1")  # kept for the retry

    down = False
    assert texts(await say(app, "amina", "/flaky", update_id="u1")) == "done once"
    assert await say(app, "amina", "/flaky", update_id="u1") == []  # a redelivery


def set_aside(folder: Path) -> None:
    for path in folder.glob("bot.db*"):
        path.rename(path.with_name("old-" + path.name))


async def test_without_tables_a_request_is_kept_and_an_inline_lookup_finds_nothing(
    app: BotApp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    set_aside(tmp_path)  # the database recreated empty under the bot
    await app.database.engine.dispose()
    caplog.set_level(logging.WARNING)
    with pytest.raises(StorageUnavailable) as lost:
        await say(app, "amina", "/help", update_id="u2")
    assert "no such table" in lost.value.reason and "db upgrade" in (lost.value.hint or "")
    request = Request(actor("amina"), private("amina"), RequestKind.INLINE, text="quota")
    assert await app.handle(request) == []
    assert not [r for r in caplog.records if r.exc_info]
    assert not app.health.ready
