"""The admin walk through the console adapter: typed lines in, printed lines out.

Every admin command of the registry, typed with plausible arguments by a member and by a
champion, in the shared room and in a private chat: each prints only the refusal, to the
person who asked, in their language, and not one row of the database changes.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.app import BotApp
from bot.core.messages import Destination, Request, RequestKind
from tests.admin_walk import admin_commands, command_line, refusal, seed, snapshot
from tests.helpers import ROOM, actor, say


async def test_console_refuses_every_admin_command_to_non_admins(
    app: BotApp, tmp_path: Path
) -> None:
    await seed(app)  # Moana is a champion with a pending story; there is a webinar, a question…
    await say(app, "lucia", "/language fr")
    output = io.StringIO()
    console = ConsoleAdapter(
        app, default_name="secretary", admins=("secretary",), output=output, files_dir=tmp_path
    )
    before = await snapshot(app)
    walked = 0
    for spec in admin_commands(app.registry):
        line = command_line(app.registry, spec)
        for name, language in (("lucia", "fr"), ("moana", "en")):
            for marker in (">", ">>"):  # the shared room, then a private chat
                output.seek(0)
                output.truncate()
                await console.handle_line(f"{name}{marker} {line}")
                expected = f"[to {name}] {refusal(language, spec)}"
                assert output.getvalue() == expected + "\n", (line, name, marker)
                walked += 1
    assert walked == 4 * len(admin_commands(app.registry))
    assert await snapshot(app) == before
    assert refusal("fr", spec) != refusal("en", spec)  # Lucia really read French
    # the same line from the console's admin is not refused: the walk can tell the difference
    output.seek(0)
    output.truncate()
    await console.handle_line("/story approve 1")
    assert "is for the network's admins" not in output.getvalue()
    assert await snapshot(app) != before


async def test_the_core_tells_an_adapter_beforehand_what_it_would_refuse(app: BotApp) -> None:
    """``BotApp.refusal``: Discord asks before opening a form; it runs nothing, stores nothing."""
    before = await snapshot(app)
    announce = Request(actor("lucia"), ROOM, RequestKind.COMMAND, command="announce", text="")
    spec = app.registry.get(("announce",))
    assert spec is not None
    [refused] = await app.refusal(announce)
    assert refused.body.plain() == refusal("en", spec)
    assert refused.destination is Destination.EPHEMERAL
    assert await snapshot(app) == before  # Lucia's first contact left no member behind
    assert await app.refusal(replace(announce, actor=actor("sofia"))) == []  # a config admin
    assert await app.refusal(replace(announce, command="help")) == []
    assert await app.refusal(replace(announce, command="nonsense")) == []  # handle() says so
    plain = Request(actor("lucia"), ROOM, RequestKind.TEXT, text="/announce chats hi")
    assert await app.refusal(plain) == []
