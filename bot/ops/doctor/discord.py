"""Discord: the token (``/users/@me``), the privileged intent, the bot's permissions in
each configured channel, computed as Discord does from its roles and the channel's
overwrites, and the shard count Discord recommends. Plain REST calls, so the doctor needs no
gateway session.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.config import DISCORD_TOKEN_ENV, Settings
from bot.ops.doctor.findings import Finding, ok, problem

ADMINISTRATOR = 1 << 3
NEEDED = {
    "View Channels": 1 << 10,
    "Send Messages": 1 << 11,
    "Embed Links": 1 << 14,
    "Attach Files": 1 << 15,
    "Read Message History": 1 << 16,
    "Create Public Threads": 1 << 35,
    "Send Messages in Threads": 1 << 38,
}
"""docs/discord.md's invite permissions (309237763072), by their names in Discord's menus."""
MANAGE_EVENTS = 1 << 33
PRIVATE_THREADS = {"Create Private Threads": 1 << 36}
"""What ``networking_channel_id`` needs besides: a private thread per Discord pair."""
NETWORKING = "networking_channel_id"
MESSAGE_CONTENT_FLAGS = (1 << 18) | (1 << 19)
"""The application flags that mean the Message Content intent is on (verified or not)."""
INVITE = (
    "https://discord.com/oauth2/authorize?client_id={app}&scope=bot+applications.commands"
    "&permissions={permissions}"
)


class _Failed(Exception):
    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"{status} {text}".strip())
        self.status = status


class _Api:
    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        self.session = session
        self.base = base.rstrip("/")
        self.headers = {"Authorization": f"Bot {token}"}

    async def get(self, path: str) -> Any:
        try:
            async with self.session.get(self.base + path, headers=self.headers) as response:
                body = await response.json(content_type=None)
                if response.status >= 400:
                    message = body.get("message", "") if isinstance(body, dict) else ""
                    raise _Failed(response.status, message)
                return body
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise _Failed(0, type(error).__name__) from None


def configured_channels(settings: Settings) -> list[tuple[str, str]]:
    """(channel id, what it is for) of every Discord channel the config names."""
    config = settings.discord
    named = [
        (config.announcements_channel_id, "announcements_channel_id"),
        (config.advice_forum_id, "advice_forum_id"),
        (config.webinars_channel_id, "webinars_channel_id"),
        (config.networking_channel_id, NETWORKING),
    ]
    for community in settings.all_communities:
        named += [
            (chat.chat_id, f"{community.slug} {chat.purpose} chat")
            for chat in community.chats
            if chat.platform == "discord"
        ]
    seen: dict[str, str] = {}
    for channel_id, purpose in named:
        if channel_id and channel_id not in seen:
            seen[channel_id] = purpose
    return list(seen.items())


def channel_permissions(
    base: int, channel: dict[str, Any], guild_id: str, role_ids: set[str], user_id: str
) -> int:
    """Discord's documented computation: @everyone's overwrite, then the roles', then the
    member's own; Administrator overrides everything."""
    if base & ADMINISTRATOR:
        return -1
    overwrites = {o["id"]: o for o in channel.get("permission_overwrites") or []}
    allowed = base
    everyone = overwrites.get(guild_id)
    if everyone:
        allowed = (allowed & ~int(everyone["deny"])) | int(everyone["allow"])
    deny = allow = 0
    for role_id in role_ids:
        if role_id in overwrites:
            deny |= int(overwrites[role_id]["deny"])
            allow |= int(overwrites[role_id]["allow"])
    allowed = (allowed & ~deny) | allow
    own = overwrites.get(user_id)
    if own:
        allowed = (allowed & ~int(own["deny"])) | int(own["allow"])
    return allowed


def _missing(permissions: int, wanted: dict[str, int]) -> list[str]:
    return [name for name, bit in wanted.items() if not permissions & bit]


async def check_discord(
    settings: Settings, token: str, session: aiohttp.ClientSession
) -> list[Finding]:
    config = settings.discord
    api = _Api(session, config.api_base_url, token)
    try:
        me = await api.get("/users/@me")
    except _Failed as failed:
        if failed.status == 401:
            return [
                problem(
                    "discord token",
                    f"Discord refused {DISCORD_TOKEN_ENV} (401 Unauthorized)",
                    f"Developer Portal, Bot, Reset Token; put the new one in {DISCORD_TOKEN_ENV}",
                )
            ]
        return [problem("discord", f"cannot reach Discord ({failed})", "check the network")]
    found = [ok("discord token", f"logged in as {me.get('username')}")]
    application: dict[str, Any] = {}
    try:
        application = await api.get("/oauth2/applications/@me")
    except _Failed as failed:
        found.append(problem("discord intents", f"cannot read the application ({failed})", ""))
    else:
        found += _intents(settings, int(application.get("flags") or 0))
    invite = INVITE.format(
        app=application.get("id", "APP_ID"),
        permissions=sum(NEEDED.values()) | (MANAGE_EVENTS if config.mirror_events else 0),
    )
    found += await _permissions(settings, api, str(me["id"]), invite)
    found += await _shards(settings, api)
    return found


async def _shards(settings: Settings, api: _Api) -> list[Finding]:
    """Discord's recommended shard count (``GET /gateway/bot``) against ``[discord] shards``:
    a bot in more servers than one session should hold is told to shard, before Discord
    refuses the session (from 2,500 servers on)."""
    try:
        gateway = await api.get("/gateway/bot")
    except _Failed as failed:
        return [problem("discord shards", f"cannot read the gateway ({failed})", "")]
    recommended = int(gateway.get("shards") or 1)
    configured = settings.discord.shards
    if configured == "auto":
        return [ok("discord shards", f'"auto": {recommended} shard(s), as Discord recommends')]
    count = configured or 1
    if recommended > count:
        return [
            problem(
                "discord shards",
                f"Discord recommends {recommended} shards for this bot's servers; it runs {count}",
                'set [discord] shards = "auto" (docs/deploy.md, Discord sharding)',
            )
        ]
    return [ok("discord shards", f"{count} shard(s) (Discord recommends {recommended})")]


def _intents(settings: Settings, flags: int) -> list[Finding]:
    if settings.discord.read_thread_replies and not flags & MESSAGE_CONTENT_FLAGS:
        return [
            problem(
                "discord intents",
                "read_thread_replies = true but the Message Content intent is off",
                "Developer Portal, Bot, Privileged Gateway Intents: turn on Message Content "
                "Intent (or set read_thread_replies = false)",
            )
        ]
    return [ok("discord intents", "what the configuration needs is on")]


class _Guilds:
    """The bot's base permissions and roles in each guild, read once per guild."""

    def __init__(self, api: _Api, bot_id: str) -> None:
        self.api = api
        self.bot_id = bot_id
        self._cache: dict[str, tuple[int, set[str]]] = {}

    async def base(self, guild_id: str) -> tuple[int, set[str]]:
        if guild_id not in self._cache:
            guild = await self.api.get(f"/guilds/{guild_id}")
            member = await self.api.get(f"/guilds/{guild_id}/members/{self.bot_id}")
            roles = set(member.get("roles") or [])
            permissions = 0
            for role in guild.get("roles") or []:
                if role["id"] == guild_id or role["id"] in roles:
                    permissions |= int(role["permissions"])
            if guild.get("owner_id") == self.bot_id:
                permissions |= ADMINISTRATOR
            self._cache[guild_id] = (permissions, roles)
        return self._cache[guild_id]


async def _permissions(settings: Settings, api: _Api, bot_id: str, invite: str) -> list[Finding]:
    config = settings.discord
    guilds = _Guilds(api, bot_id)
    found: list[Finding] = []
    if config.guild_id:
        try:
            base, _roles = await guilds.base(config.guild_id)
        except _Failed as failed:
            return [
                problem(
                    f"discord server {config.guild_id}",
                    f"the bot is not in this server ({failed})",
                    f"invite it with {invite}",
                )
            ]
        if config.mirror_events and not base & (MANAGE_EVENTS | ADMINISTRATOR):
            found.append(
                problem(
                    f"discord server {config.guild_id}",
                    "mirror_events = true but the bot lacks Manage Events",
                    "Server Settings, Roles: give the bot's role Manage Events",
                )
            )
    for channel_id, purpose in configured_channels(settings):
        found.append(await _channel(guilds, api, channel_id, purpose, bot_id))
    if not found:
        found.append(ok("discord permissions", "no server or channel configured to check"))
    return found


async def _channel(
    guilds: _Guilds, api: _Api, channel_id: str, purpose: str, bot_id: str
) -> Finding:
    subject = f"discord channel {channel_id} ({purpose})"
    try:
        channel = await api.get(f"/channels/{channel_id}")
    except _Failed as failed:
        return problem(
            subject,
            f"the bot cannot see it ({failed})",
            "check the id (Developer Mode, right-click the channel, Copy Channel ID) and give "
            "the bot's role View Channels there",
        )
    guild_id = str(channel.get("guild_id") or "")
    try:
        base, roles = await guilds.base(guild_id)
    except _Failed as failed:
        return problem(subject, f"the bot is not in its server ({failed})", "invite it")
    permissions = channel_permissions(base, channel, guild_id, roles, bot_id)
    if purpose == NETWORKING and channel.get("type") != 0:
        return problem(
            subject,
            f"#{channel.get('name', channel_id)} is not a text channel",
            "private threads open in text channels only: name a text channel",
        )
    missing = _missing(permissions, NEEDED | (PRIVATE_THREADS if purpose == NETWORKING else {}))
    if missing:
        return problem(
            subject,
            f"#{channel.get('name', channel_id)} denies the bot {', '.join(missing)}",
            "Edit Channel, Permissions: allow these for the bot's role (or remove the "
            "overwrite that denies them)",
        )
    return ok(subject, "the bot may do its job there")
