"""Making storage unreachable for a while, on SQLite and on PostgreSQL, for the outage tests.

- PostgreSQL: the app talks to the server through :class:`TcpCut`, a TCP forwarder the test
  controls. Cutting it closes every open connection and refuses new ones (the driver sees the
  server vanish); restoring it listens again on the same port.
- SQLite: :class:`SqliteCut` moves the folder that holds the database away (an unmounted
  volume) and empties the app's pool, so that the next connection finds no file to open;
  restoring it moves the folder back.

Both are used through :func:`outage_for` (the ``outage`` fixtures of the adapter tests), and a
test echo command whose answer names the update it answers, so every answer can be counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy.engine import make_url

from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Reply
from tests.conftest import PG_ENV, reset_postgres


class Outage(Protocol):
    url: str

    def attach(self, app: BotApp) -> None: ...
    async def cut(self) -> None: ...
    async def restore(self) -> None: ...
    async def close(self) -> None: ...


class TcpCut:
    """A TCP forwarder to ``host:port`` on a local port of its own, which can be cut."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.local_port = 0
        self.url = ""
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def attach(self, app: BotApp) -> None:
        """Nothing to do: the app reaches the server through :attr:`url` only."""

    async def listen(self) -> None:
        self._server = await asyncio.start_server(
            self._forward, "127.0.0.1", self.local_port, reuse_address=True
        )
        self.local_port = self._server.sockets[0].getsockname()[1]

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.port)
        except OSError:
            writer.close()
            return
        self._pipes |= {writer, upstream_writer}
        for source, sink in ((reader, upstream_writer), (upstream_reader, writer)):
            task = asyncio.create_task(self._pump(source, sink))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._pipes.discard(sink)
            sink.close()

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, as a vanished server would."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for pipe in list(self._pipes):
            transport = pipe.transport
            transport.abort()
        self._pipes.clear()

    async def restore(self) -> None:
        await self.listen()

    async def close(self) -> None:
        await self.cut()
        for task in list(self._tasks):
            task.cancel()


class SqliteCut:
    """The SQLite file's folder moved away and back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"sqlite+aiosqlite:///{folder / 'bot.db'}"
        self._app: BotApp | None = None

    def attach(self, app: BotApp) -> None:
        self._app = app

    async def cut(self) -> None:
        self.folder.rename(self.folder.with_name("away"))
        if self._app is not None:  # pooled connections hold the old file open: let them go
            await self._app.database.engine.dispose()

    async def restore(self) -> None:
        self.folder.with_name("away").rename(self.folder)

    async def close(self) -> None:
        if not self.folder.exists() and self.folder.with_name("away").exists():
            await self.restore()


async def outage_for(kind: str, tmp_path: Path, postgres_url: str | None) -> Outage:
    """An outage switch for ``kind`` (``sqlite``, or ``postgresql`` when configured)."""
    if kind == "sqlite":
        folder = tmp_path / "data"
        folder.mkdir()
        return SqliteCut(folder)
    if postgres_url is None:
        pytest.skip(f"{PG_ENV} not set")
    await reset_postgres(postgres_url)
    parsed = make_url(postgres_url)
    cut = TcpCut(parsed.host or "127.0.0.1", parsed.port or 5432)
    await cut.listen()
    cut.url = parsed.set(host="127.0.0.1", port=cut.local_port).render_as_string(
        hide_password=False
    )
    return cut


def add_echo(app: BotApp) -> None:
    """``/echo WORD``: a command that reads and writes storage (like every command) and
    answers ``echo WORD``, so each answer names the update it answers."""

    async def echo(ctx: CommandContext, word: str) -> Reply:
        return ctx.reply(f"echo {word}")

    app.registry.command(
        "echo",
        description=N_("List what I can do for you"),
        args=[ArgSpec("word", ArgKind.WORD, N_("List what I can do for you"))],
    )(echo)


@contextlib.contextmanager
def log_lines(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """The records of the bot's own loggers during the block (warnings and worse)."""
    caplog.set_level(logging.WARNING)
    records: list[logging.LogRecord] = []
    yield records
    records.extend(
        r
        for r in caplog.records
        if r.name.split(".")[0] in ("bot", "adapters", "storage") and r.levelno >= logging.WARNING
    )


def outage_settings(**storage: Any) -> dict[str, Any]:
    """Quick probes and a generous bound, so the test takes seconds and never gives up."""
    return {"give_up_after_seconds": 60.0, "probe_seconds": 0.2, **storage}
