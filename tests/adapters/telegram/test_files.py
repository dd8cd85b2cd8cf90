"""Files a member sends, through the real python-telegram-bot against the loopback Bot API.

``getFile`` answers a File with its ``file_path`` (checked against the published File type) and
refuses a file over 20 MB ("Bad Request: file is too big"), as the Bot API documents; the file
link ``/file/bot<token>/<file_path>`` serves the bytes. The adapter fetches a file only where it
may matter (a command, a private chat), and within the configured limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, Message, Update
from telegram.error import BadRequest

from adapters.telegram.application import file_url
from adapters.telegram.convert import request_from_update
from adapters.telegram.uploads import with_upload
from tests.adapters.telegram.conftest import AMINA, GROUP, private_chat
from tests.fakes.telegram_api import BOT_USERNAME, DOWNLOAD_MAX_BYTES, FakeTelegram

PDF = b"%PDF-1.7\n" + b"x" * 5000


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=file_url(fake.base_url)) as b:
        yield b


def _message(bot: Bot, update: dict[str, object]) -> Message:
    parsed = Update.de_json({"update_id": 1, **update}, bot)
    assert parsed is not None and parsed.message is not None
    return parsed.message


async def test_get_file_and_download_as_the_bot_api_documents(fake: FakeTelegram, bot: Bot) -> None:
    message = _message(bot, fake.document(private_chat(AMINA), AMINA, "guide.pdf", PDF))
    assert message.document is not None
    found = await message.document.get_file()
    assert found.file_size == len(PDF) and found.file_path
    assert bytes(await found.download_as_bytearray()) == PDF
    assert fake.downloads == [found.file_path.rsplit("/file/bot" + fake.token + "/", 1)[-1]]
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nothing-here")
    assert fake.violations == []


async def test_over_twenty_megabytes_get_file_is_refused(fake: FakeTelegram, bot: Bot) -> None:
    big = b"%PDF-" + b"0" * DOWNLOAD_MAX_BYTES
    message = _message(bot, fake.document(private_chat(AMINA), AMINA, "big.pdf", big))
    assert message.document is not None
    with pytest.raises(BadRequest, match="too big"):
        await message.document.get_file()
    # the adapter, told it may take more, still hands the core no content
    request = request_from_update(
        Update.de_json({"update_id": 2, "message": message.to_dict()}, bot), BOT_USERNAME
    )
    assert request is not None
    fetched = await with_upload(request, message, limit=50_000_000)
    assert fetched.upload is not None and fetched.upload.data is None
    assert fetched.upload.size > DOWNLOAD_MAX_BYTES


async def test_what_the_adapter_fetches(fake: FakeTelegram, bot: Bot) -> None:
    in_group = _message(bot, fake.document(GROUP, AMINA, "a.pdf", PDF, caption="nice read"))
    request = request_from_update(
        Update.de_json({"update_id": 3, "message": in_group.to_dict()}, bot), BOT_USERNAME
    )
    assert request is not None
    assert (await with_upload(request, in_group, limit=10**6)).upload is None  # not for the bot
    assert fake.downloads == []

    command = _message(bot, fake.document(GROUP, AMINA, "a.pdf", PDF, caption="/share A guide"))
    request = request_from_update(
        Update.de_json({"update_id": 4, "message": command.to_dict()}, bot), BOT_USERNAME
    )
    assert request is not None
    upload = (await with_upload(request, command, limit=10**6)).upload
    assert upload is not None and (upload.filename, upload.data) == ("a.pdf", PDF)

    too_big = (await with_upload(request, command, limit=100)).upload
    assert too_big is not None and too_big.data is None and too_big.size == len(PDF)
    assert len(fake.downloads) == 1  # over the limit: not downloaded
