"""`champions-bot doctor` against the loopback Telegram and Discord: every failure mode is
one PROBLEM line saying what to fix, and all is well when nothing is wrong."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from bot.config import (
    AdminsConfig,
    ChatLink,
    CommunityConfig,
    DiscordConfig,
    Settings,
    StorageConfig,
    TelegramConfig,
)
from bot.ops.doctor import diagnose, run_doctor
from storage.database import alembic_config
from tests.fakes.discord import GUILD_ID, FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

TELEGRAM_TOKEN = "123456:TEST-token"
DISCORD_TOKEN = "discord-test-token"
SECRET = "s3cret_webhook-value"
ATTACH_FILES = 1 << 15
SEND_MESSAGES = 1 << 11


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TELEGRAM_TOKEN)
    await server.start()
    yield server
    await server.stop()
    assert server.violations == []


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        server.token = DISCORD_TOKEN
        yield server


@pytest.fixture
async def db(tmp_path: Path) -> str:
    from storage.database import Database

    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    database = Database(url)
    await database.upgrade()
    await database.dispose()
    return url


def _settings(
    url: str,
    telegram: FakeTelegram,
    discord: FakeDiscord,
    forum: str,
    *,
    tg: dict[str, Any] | None = None,
    dc: dict[str, Any] | None = None,
) -> Settings:
    telegram_config = {"api_base_url": telegram.base_url, **(tg or {})}
    discord_config = {
        "guild_id": GUILD_ID,
        "api_base_url": discord.api_base_url,
        "advice_forum_id": forum,
        **(dc or {}),
    }
    return Settings(
        storage=StorageConfig(url=url),
        admins=AdminsConfig(),
        community=CommunityConfig(
            chats=(ChatLink(platform="discord", chat_id=discord.general, purpose="general"),)
        ),
        telegram=TelegramConfig(**telegram_config),
        discord=DiscordConfig(**discord_config),
    )


ENV = {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "DISCORD_BOT_TOKEN": DISCORD_TOKEN}


async def _problems(settings: Settings, environ: dict[str, str] = ENV) -> list[str]:
    return [f.line() for f in await diagnose(settings, environ) if not f.ok]


@pytest.fixture
def forum(discord: FakeDiscord) -> str:
    forum_id = discord.new_id()
    discord.add_channel(forum_id, "advice", 15)
    return forum_id


async def test_all_is_well(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    found = await diagnose(_settings(db, telegram, discord, forum), ENV)
    assert [f.line() for f in found if not f.ok] == []
    lines = "\n".join(f.line() for f in found)
    assert "ok       telegram token: logged in as @champions_test_bot" in lines
    assert f"ok       discord channel {forum} (advice_forum_id)" in lines
    assert f"ok       discord channel {discord.general} (champions general chat)" in lines


async def test_each_token_refused_is_one_line(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    wrong = {"TELEGRAM_BOT_TOKEN": "123456:WRONG", "DISCORD_BOT_TOKEN": "wrong"}
    problems = await _problems(_settings(db, telegram, discord, forum), wrong)
    assert len(problems) == 2, problems
    assert problems[0].startswith(
        "PROBLEM  telegram token: Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized). "
        "Fix: copy the token again from @BotFather"
    )
    assert problems[1].startswith(
        "PROBLEM  discord token: Discord refused DISCORD_BOT_TOKEN (401 Unauthorized). "
        "Fix: Developer Portal, Bot, Reset Token"
    )


async def test_a_channel_without_the_needed_permissions_is_one_line(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    discord.deny(forum, SEND_MESSAGES | ATTACH_FILES)
    problems = await _problems(_settings(db, telegram, discord, forum))
    assert problems == [
        f"PROBLEM  discord channel {forum} (advice_forum_id): #advice denies the bot Send "
        "Messages, Attach Files. Fix: Edit Channel, Permissions: allow these for the bot's "
        "role (or remove the overwrite that denies them)"
    ]


async def test_the_fake_enforces_what_the_doctor_reports(discord: FakeDiscord) -> None:
    """The loopback Discord refuses the bot's message where Send Messages is denied."""
    import aiohttp

    discord.deny(discord.general, SEND_MESSAGES)
    url = f"{discord.api_base_url}/channels/{discord.general}/messages"
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url, json={"content": "hi"}, headers={"Authorization": f"Bot {DISCORD_TOKEN}"}
        ) as response,
    ):
        assert response.status == 403
        assert (await response.json())["code"] == 50013


async def test_discord_intents_server_and_unknown_channel(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    settings = _settings(db, telegram, discord, forum, dc={"read_thread_replies": True})
    (problem,) = await _problems(settings)
    assert (
        "discord intents: read_thread_replies = true but the Message Content intent is "
        "off. Fix: Developer Portal, Bot, Privileged Gateway Intents" in problem
    )
    discord.application_flags = 1 << 19
    assert await _problems(settings) == []

    elsewhere = _settings(db, telegram, discord, "1999", dc={"guild_id": "42"})
    problems = await _problems(elsewhere)
    assert len(problems) == 1 and problems[0].startswith(
        "PROBLEM  discord server 42: the bot is not in this server (404 Unknown Guild). "
        "Fix: invite it with https://discord.com/oauth2/authorize?client_id="
    ), problems
    gone = _settings(db, telegram, discord, "1999")
    (problem,) = await _problems(gone)
    assert problem.startswith(
        "PROBLEM  discord channel 1999 (advice_forum_id): the bot cannot see it (404"
    )
    mirror = _settings(db, telegram, discord, forum, dc={"mirror_events": True})
    (problem,) = await _problems(mirror)
    assert "mirror_events = true but the bot lacks Manage Events" in problem


async def test_a_bot_that_outgrew_one_session_is_told_to_shard(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    discord.recommended_shards = 3
    (problem,) = await _problems(_settings(db, telegram, discord, forum))
    assert problem == (
        "PROBLEM  discord shards: Discord recommends 3 shards for this bot's servers; it runs 1. "
        'Fix: set [discord] shards = "auto" (docs/deploy.md, Discord sharding)'
    )
    assert await _problems(_settings(db, telegram, discord, forum, dc={"shards": "auto"})) == []
    assert await _problems(_settings(db, telegram, discord, forum, dc={"shards": 3})) == []


async def test_webhook_problems_are_one_line_each(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    env = {**ENV, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    public = "https://bot.example.org/telegram"
    webhook = _settings(db, telegram, discord, forum, tg={"mode": "webhook", "public_url": public})
    assert await _problems(webhook, env) == []  # not set yet: the bot sets it at start

    telegram.webhook = {"url": public}
    telegram.webhook_error = "SSL error {error:0A000086:SSL routines::certificate verify failed}"
    (problem,) = await _problems(webhook, env)
    assert (
        problem.startswith("PROBLEM  telegram webhook: Telegram's last delivery failed: SSL error")
        and "Fix: check that the reverse proxy forwards public_url" in problem
    )

    telegram.webhook_error = None
    (problem,) = await _problems(webhook, ENV)  # no secret in the environment
    assert "$TELEGRAM_WEBHOOK_SECRET is unset" in problem

    plain = _settings(
        db,
        telegram,
        discord,
        forum,
        tg={"mode": "webhook", "public_url": "http://bot.example.org/telegram"},
    )
    problems = await _problems(plain, env)
    assert len(problems) == 2 and "is not https" in problems[0]
    assert "Telegram calls https://bot.example.org/telegram, not public_url" in problems[1]

    polling = _settings(db, telegram, discord, forum)
    (problem,) = await _problems(polling, env)
    assert problem.startswith(
        f"PROBLEM  telegram webhook: Telegram delivers updates to the webhook {public} but "
        "[telegram] mode is polling"
    )


async def test_database_unreachable_or_behind_is_one_line(
    tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    down = _settings(
        "postgresql+asyncpg://bot:hunter2@127.0.0.1:1/champions", telegram, discord, forum
    )
    (problem,) = await _problems(down, {})
    assert (
        problem.startswith(
            "PROBLEM  database: cannot connect to postgresql+asyncpg://bot:***@127.0.0.1:1/champions"
        )
        and "hunter2" not in problem
    )

    behind = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await _upgrade_to(behind, "0003")
    (problem,) = await _problems(_settings(behind, telegram, discord, forum), {})
    assert problem.startswith(f"PROBLEM  database: {behind} lacks ") and (
        "Fix: run `champions-bot db upgrade`" in problem
    )


async def _upgrade_to(url: str, revision: str) -> None:
    from sqlalchemy.engine import Connection

    from storage.database import Database

    def run(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await database.dispose()


def test_exit_status_and_config_problems(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\nmode = "hook"\n[storage]\nurl = "sqlite+aiosqlite:///x.db"\n')
    out = io.StringIO()
    assert run_doctor(config, environ={}, out=out) == 1
    (line,) = out.getvalue().splitlines()
    assert line.startswith("PROBLEM  config: Invalid configuration in") and "telegram.mode" in line

    url = f"sqlite+aiosqlite:///{tmp_path / 'ok.db'}"
    out = io.StringIO()
    config.write_text(f'[storage]\nurl = "{url}"\n')
    code = run_doctor(config, environ={}, out=out)
    assert out.getvalue().splitlines()[1].startswith("PROBLEM  database:")  # never migrated
    assert code == 1
    from storage.database import upgrade_sync

    upgrade_sync(url)
    out = io.StringIO()
    assert run_doctor(config, environ={}, out=out) == 0, out.getvalue()
    assert out.getvalue().splitlines()[-1] == "All is well."


async def test_the_networking_channel_needs_private_threads_in_a_text_channel(
    db: str, telegram: FakeTelegram, discord: FakeDiscord, forum: str
) -> None:
    channel = discord.new_id()
    discord.add_channel(channel, "networking", 0)
    settings = _settings(db, telegram, discord, forum, dc={"networking_channel_id": channel})
    assert await _problems(settings) == [
        f"PROBLEM  discord channel {channel} (networking_channel_id): #networking denies the bot "
        "Create Private Threads. Fix: Edit Channel, Permissions: allow these for the bot's "
        "role (or remove the overwrite that denies them)"
    ]
    discord.bot_permissions |= 1 << 36
    assert await _problems(settings) == []
    other_forum = discord.new_id()
    discord.add_channel(other_forum, "ideas", 15)
    settings = _settings(db, telegram, discord, forum, dc={"networking_channel_id": other_forum})
    [problem] = await _problems(settings)
    assert "#ideas is not a text channel" in problem
