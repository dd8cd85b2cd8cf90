"""Small helpers to talk to the core as the console would."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import event

from bot.app import BotApp
from bot.core.messages import (
    Actor,
    Place,
    PlaceKind,
    Platform,
    Reply,
    Request,
    RequestKind,
)

ROOM = Place(Platform.CONSOLE, "room", PlaceKind.GROUP)


def actor(name: str, *, admin: bool = False, locale: str | None = None) -> Actor:
    return Actor(Platform.CONSOLE, name, name.title(), locale=locale, is_platform_admin=admin)


def private(name: str) -> Place:
    return Place(Platform.CONSOLE, f"dm:{name}", PlaceKind.PRIVATE)


class Answering(Protocol):
    """What ``say`` needs of an app: the whole :class:`BotApp`, or a router alone."""

    async def handle(self, request: Request) -> list[Reply]: ...


async def say(
    app: Answering,
    name: str,
    text: str,
    *,
    place: Place | None = None,
    admin: bool = False,
    update_id: str | None = None,
    locale: str | None = None,
    reply_to: str | None = None,
) -> list[Reply]:
    """Send ``text`` as member ``name`` (a ``/command`` or plain text); return the replies.
    ``reply_to``: the platform id of the message this one answers."""
    where = place or private(name)
    who = actor(name, admin=admin, locale=locale)
    if text.startswith("/"):
        command, _, rest = text[1:].partition(" ")
        request = Request(
            who, where, RequestKind.COMMAND, command=command, text=rest, update_id=update_id
        )
    else:
        request = Request(
            who, where, RequestKind.TEXT, text=text, update_id=update_id, reply_to=reply_to
        )
    replies = await app.handle(request)
    await _check_calendars(app, replies)
    return replies


async def _check_calendars(app: Answering, replies: list[Reply]) -> None:
    """Every ``.ics`` a test receives is read by two independent parsers (issue 12).

    Their occurrences must be the bot's own and cover its reminders, so no test can hand
    out a calendar that a real client would read differently.
    """
    files = [a for reply in replies for a in reply.attachments if a.mime_type == "text/calendar"]
    if not files:
        return
    from tests.features.events.calendars import check_calendar  # parsers load only when needed

    assert isinstance(app, BotApp), "checking a calendar reads the app's database"

    for attachment in files:
        await check_calendar(app, attachment.data)


async def eventually(condition: Callable[[], bool], *, within: float = 10.0) -> None:
    """Wait until ``condition()`` holds, for background work of unknown speed (a loaded CI
    box): never a fixed sleep that a slow machine outlasts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still not true after {within} s: {condition.__name__}")
        await asyncio.sleep(0.01)


def texts(replies: list[Reply]) -> str:
    return "\n".join(reply.body.plain() for reply in replies)


@contextmanager
def counted(app: BotApp) -> Iterator[list[str]]:
    """The SQL statements the block's own task runs (BEGIN and COMMIT aside).

    Only its task's: the indexes warm up and save in tasks of their own, at moments a test
    does not choose, and counting theirs made a count depend on the machine's speed. The
    engine's events fire in the greenlet that runs the statement, inside the awaiting task."""
    statements: list[str] = []
    mine = asyncio.current_task()

    def record(*args: object) -> None:
        if asyncio.current_task() is mine:
            statements.append(str(args[2]))

    engine = app.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
