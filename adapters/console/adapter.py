"""Reads lines, sends them to the core as members, prints what the bot says and where.

A line ``name> text`` is said by member ``name`` in the shared room; ``name>> text`` is said
by ``name`` in a private chat with the bot; any other line is said by the ``--as`` member in
the room. Each reply is printed with its destination: ``[room]`` or ``[to NAME]``.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from adapters.console.render import render_reply
from bot.app import BotApp
from bot.core.i18n import Translator
from bot.core.messages import (
    Actor,
    Destination,
    Place,
    PlaceKind,
    Platform,
    Recipient,
    Reply,
    Request,
    RequestKind,
    SentMessage,
)
from bot.health import HELD_NOTICE

ROOM = "room"
_LINE = re.compile(r"^\s*([\w.\-]{1,40})\s*(>>?)\s?(.*)$")


class ConsoleMessenger:
    """Prints background messages (reminders, relays) like replies."""

    platform = Platform.CONSOLE

    def __init__(self, output: TextIO, files_dir: Path) -> None:
        self.output = output
        self.files_dir = files_dir
        self._counter = 0

    def print_reply(self, where: str, reply: Reply) -> None:
        saved: dict[str, Path] = {}
        for attachment in reply.attachments:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = (self.files_dir / Path(attachment.filename).name).resolve()
            path.write_bytes(attachment.data)
            saved[attachment.filename] = path
        for text in render_reply(reply, saved):
            print(f"[{where}] {text}", file=self.output)
        self.output.flush()

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        where = f"to {recipient.chat_id}" if recipient.private else recipient.chat_id
        self.print_reply(where, reply)
        self._counter += 1
        return SentMessage(Platform.CONSOLE, recipient.chat_id, str(self._counter))


class ConsoleAdapter:
    def __init__(
        self,
        app: BotApp,
        *,
        default_name: str = "you",
        admins: tuple[str, ...] = (),
        output: TextIO | None = None,
        files_dir: Path = Path("var/console-files"),
        after_line: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.app = app
        self.default_name = default_name
        self.admins = {name.casefold() for name in admins}
        self.output = output or sys.stdout
        self.messenger = ConsoleMessenger(self.output, files_dir)
        self.after_line = after_line
        """Run after each line (the CLI sends what became due), so scripts read in order."""
        app.add_messenger(self.messenger)

    def request_for(self, raw: str) -> Request | None:
        """The core request for one typed line, or ``None`` for a blank line."""
        match = _LINE.match(raw)
        name, private, text = (
            (match.group(1), match.group(2) == ">>", match.group(3))
            if match
            else (self.default_name, False, raw)
        )
        text = text.strip()
        if not text:
            return None
        actor = Actor(
            platform=Platform.CONSOLE,
            user_id=name.casefold(),
            display_name=name[:1].upper() + name[1:],
            is_platform_admin=name.casefold() in self.admins,
        )
        place = (
            Place(Platform.CONSOLE, f"dm:{actor.user_id}", PlaceKind.PRIVATE)
            if private
            else Place(Platform.CONSOLE, ROOM, PlaceKind.GROUP, title=ROOM)
        )
        if text.startswith("/"):
            command, _, rest = text[1:].partition(" ")
            return Request(actor, place, RequestKind.COMMAND, command=command, text=rest)
        return Request(actor, place, RequestKind.TEXT, text=text)

    async def handle_line(self, raw: str) -> None:
        request = self.request_for(raw)
        if request is None:
            return

        async def tell(_error: object) -> None:  # storage is away: the line waits for it
            self.print_reply(request, Reply.text(Translator("en").gettext(HELD_NOTICE)))

        replies = await self.app.health.patiently(lambda: self.app.handle(request), on_hold=tell)
        for reply in replies:
            self.print_reply(request, reply)
        if self.after_line is not None:
            await self.after_line()

    def print_reply(self, request: Request, reply: Reply) -> None:
        in_place = reply.destination in (Destination.HERE, Destination.POINTER)
        private = not in_place or request.place.kind is PlaceKind.PRIVATE
        where = f"to {request.actor.user_id}" if private else ROOM
        self.messenger.print_reply(where, reply)

    async def run(self, source: TextIO | None = None) -> None:
        """Read lines until end of input; works the same typed or piped."""
        source = source or sys.stdin
        interactive = source.isatty()
        if interactive:
            print(
                "Champions Bot console. Type '/help', 'name> text' to speak as someone in the "
                "room, 'name>> text' to write to the bot privately. Ctrl-D quits.",
                file=self.output,
            )
        lines = _lines_of(source)
        while (raw := await lines.get()) is not None:
            await self.handle_line(raw.rstrip("\n"))


def _readline(source: TextIO) -> Callable[[], str]:
    """Read lines as bytes where the source has them, decoded as UTF-8 with every invalid
    byte shown as U+FFFD: a stray byte typed or piped in can neither stop the reader (strict
    decoding raises) nor smuggle a lone surrogate into the core (``surrogateescape``)."""
    buffer = getattr(source, "buffer", None)
    if buffer is None:
        return source.readline
    return lambda: buffer.readline().decode("utf-8", errors="replace")


def _lines_of(source: TextIO) -> asyncio.Queue[str | None]:
    """Lines read by a daemon thread; ``None`` at end of input.

    A daemon thread (not ``asyncio.to_thread``) so that Ctrl-C ends the program at once
    instead of waiting for a blocked ``readline`` to return.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    readline = _readline(source)

    def read() -> None:
        try:
            for raw in iter(readline, ""):
                loop.call_soon_threadsafe(queue.put_nowait, raw)
        finally:  # whatever happens, the session ends instead of waiting for ever
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return queue
