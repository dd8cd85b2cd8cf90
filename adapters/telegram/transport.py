"""python-telegram-bot's HTTP calls made with aiohttp instead of httpx.

PTB lets an application bring its own :class:`telegram.request.BaseRequest`. Its default,
``HTTPXRequest``, goes through httpx, httpcore, anyio and h11 on every call; measured against
the loopback Bot API, one ``sendMessage`` cost 0.69 ms of CPU alone and 0.97-1.01 ms eight at
a time, where aiohttp took 0.20 and 0.14-0.15 ms (server included in both; docs/performance.md,
*Telegram calls through aiohttp*). Every reply pays it, and getUpdates too. aiohttp already
serves the bot's web pages and webhook.

What PTB expects from a request class is kept: the answer's status and bytes; a timeout raised
as :class:`telegram.error.TimedOut` and any other failure as
:class:`telegram.error.NetworkError`, each with aiohttp's exception as ``__cause__`` (which
:mod:`adapters.telegram.request` reads to tell a call that never left from one that may have
reached Telegram); parameters sent as a form, and files as multipart, as ``HTTPXRequest`` sends
them. aiohttp has no write timeout: a call's parts are bounded by the connect, pool and read
timeouts.

Proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``...) are honoured as httpx honoured
them, read once per host (httpx reads them when its client is made). aiohttp's own
``trust_env`` looks them up, and ``~/.netrc`` too, in a worker thread on *every* call: two
thread hand-offs per message (end to end, 2.87 -> 2.34-2.41 ms of CPU an update without
them: docs/performance.md).
httpx never read ``.netrc`` unless asked, so neither does this.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.helpers import get_env_proxy_for_url
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

NOT_SENT: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,  # the connection could not be made
    aiohttp.ConnectionTimeoutError,  # no connection within the pool and connect timeouts
    aiohttp.InvalidURL,
)
"""Failures before the request left: Telegram cannot have acted on it."""


class AiohttpRequest(BaseRequest):
    """A :class:`BaseRequest` over one :class:`aiohttp.ClientSession`."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 1,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = max(1, connection_pool_size)
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, tuple[URL | None, aiohttp.BasicAuth | None]] = {}
        """The environment's proxy for each origin called, read at its first call."""

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                trust_env=False,  # the proxy is read once per host instead (module docstring)
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        del write_timeout  # aiohttp has none (module docstring)
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        proxy, proxy_auth = await self._proxy_for(url)
        try:
            async with session.request(
                method,
                url,
                data=form(request_data),
                timeout=timeout,
                proxy=proxy,
                proxy_auth=proxy_auth,
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(
                "Pool or connect timeout: the request was *not* sent to Telegram."
            ) from error
        except (TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    async def _proxy_for(self, url: str) -> tuple[URL | None, aiohttp.BasicAuth | None]:
        """The environment's proxy for ``url``'s origin (``None`` for none or excluded by
        ``NO_PROXY``), looked up in a thread at the origin's first call, as aiohttp does
        (reading the environment may read files)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        found = self._proxies.get(origin)
        if found is None:
            found = await asyncio.to_thread(_environment_proxy, URL(origin))
            self._proxies[origin] = found
        return found

    def _timeout(self, read: Any, connect: Any, pool: Any) -> aiohttp.ClientTimeout:
        """PTB's four timeouts as aiohttp's: ``connect`` bounds the wait for a pooled
        connection and making one (pool + connect), ``sock_read`` each read."""
        read = self._read_timeout if isinstance(read, DefaultValue) else read
        connect = self._connect_timeout if isinstance(connect, DefaultValue) else connect
        pool = self._pool_timeout if isinstance(pool, DefaultValue) else pool
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=None, connect=waiting, sock_connect=connect, sock_read=read
        )


def _environment_proxy(url: URL) -> tuple[URL | None, aiohttp.BasicAuth | None]:
    try:
        return get_env_proxy_for_url(url)
    except LookupError:  # no proxy for this scheme, or NO_PROXY names the host
        return None, None


def form(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """The call's parameters as ``HTTPXRequest`` sends them: a form (values JSON-encoded by
    PTB), multipart when it carries files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    data = aiohttp.FormData()
    for name, value in fields.items():
        data.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        data.add_field(name, content, filename=filename, content_type=mimetype)
    return data
