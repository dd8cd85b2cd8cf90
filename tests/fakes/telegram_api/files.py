"""Files people send and the bot downloads: ``getFile`` gives a file its path, and
``GET /file/bot<token>/<file_path>`` serves its bytes, with Telegram's 20 MB limit."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.botapi_spec import check_object
from tests.fakes.telegram_api.base import FakeTelegramBase, _Refused

DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024
"""getFile: "For the moment, bots can download files of up to 20MB in size"."""


class TelegramFiles(FakeTelegramBase):
    """getFile and the download route."""

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
