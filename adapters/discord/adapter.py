"""The Discord client: logs in, declares the slash commands, and turns events into requests.

Slash commands, buttons and modals arrive as interactions (see :mod:`interactions`). Messages
become requests only where they can matter: DMs (answers to the bot's questions, ``/commands``
typed as text), and the configured channels and their threads (replies in a forum post).

With ``[discord] shards`` set, the same client runs as discord.py's ``AutoShardedClient``: one
gateway connection per shard, each receiving the events of its share of the servers (and
shard 0 the DMs), all in this process (:class:`ShardedDiscordBot`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord import app_commands

from adapters.discord.commands import build_commands
from adapters.discord.convert import actor_of, lane_keys, place_of
from adapters.discord.declaring import CatalogTranslator, sync_if_changed
from adapters.discord.events_mirror import DiscordEventMirror
from adapters.discord.interactions import InteractionHandler
from adapters.discord.messenger import ActionButton, DiscordMessenger, send_to
from bot.app import BotApp
from bot.config import Settings
from bot.core.i18n import Translator, normalize_language
from bot.core.messages import Destination, PlaceKind, Platform, Reply, Request, RequestKind
from bot.core.ports import EventMirror
from bot.core.richtext import doc, line
from bot.health import HELD_NOTICE
from storage.errors import StorageUnavailable

log = logging.getLogger(__name__)

DRAIN_SECONDS = 10.0


def intents_for(settings: Settings) -> discord.Intents:
    """Only what the bot uses: guilds, messages in guilds and DMs; message content if asked."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.discord.read_thread_replies
    return intents


def silence_voice_warnings() -> None:
    """The bot uses no voice: discord.py's "PyNaCl/davey is not installed, voice will NOT be
    supported" warnings would only worry whoever reads the log. ``VoiceClient.warn_nacl`` and
    ``warn_dave`` are the switches discord.py reads when a client is created (its maintainers'
    answer to Rapptz/discord.py#9220)."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class DiscordBot(discord.Client):
    """A discord.py client wired to one :class:`BotApp`."""

    def __init__(
        self,
        app: BotApp,
        settings: Settings,
        *,
        defer_after: float | None = None,
        guild_ready_timeout: float = 2.0,
        on_mirror: Callable[[EventMirror], None] | None = None,
        on_connection: Callable[[bool], None] | None = None,
        **client_options: Any,
    ):
        silence_voice_warnings()
        super().__init__(
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            guild_ready_timeout=guild_ready_timeout,
            **client_options,
        )
        self.app = app
        self.settings = settings
        self.config = settings.discord
        self.tree: app_commands.CommandTree[DiscordBot] = app_commands.CommandTree(self)
        self.messenger = DiscordMessenger(self, self.config)
        options: dict[str, Any] = {} if defer_after is None else {"defer_after": defer_after}
        self.interactions = InteractionHandler(app, self.messenger, self.config, **options)
        self.synced: bool | None = None
        """Whether the last start declared the commands to Discord (None before start)."""
        self._mirror = (
            DiscordEventMirror(self._mirror_guild)
            if self.config.mirror_events and self.config.guild_id
            else None
        )
        self._on_mirror = on_mirror
        self._on_connection = on_connection
        app.add_messenger(self.messenger)

    @property
    def guild(self) -> discord.Object | None:
        return discord.Object(id=int(self.config.guild_id)) if self.config.guild_id else None

    @property
    def events_mirror(self) -> EventMirror | None:
        """The scheduled-event mirror once the client is ready; None before, or when
        ``mirror_events`` is off."""
        return self._mirror if self.is_ready() else None

    def _mirror_guild(self) -> discord.Guild | None:
        return self.get_guild(int(self.config.guild_id)) if self.config.guild_id else None

    async def on_ready(self) -> None:
        """Hand the mirror to the background work (again after a reconnect: harmless)."""
        self._connected(True)
        if self._mirror is not None and self._on_mirror is not None:
            self._on_mirror(self._mirror)

    async def on_resumed(self) -> None:
        self._connected(True)

    async def on_disconnect(self) -> None:
        self._connected(False)  # discord.py reconnects by itself; readiness waits for it

    def _connected(self, up: bool) -> None:
        if self._on_connection is not None:
            self._on_connection(up)

    async def setup_hook(self) -> None:
        await self.tree.set_translator(CatalogTranslator())
        roots, _ = build_commands(
            self.app.registry, self.interactions.on_command, self.interactions.autocomplete
        )
        for command in roots:
            self.tree.add_command(command, guild=self.guild)
        self.add_dynamic_items(ActionButton)
        self.synced = await sync_if_changed(self.app, self.tree, self.guild)

    # messages -----------------------------------------------------------------------------

    def watched_channels(self) -> set[str]:
        """Channels whose messages (and whose threads' messages) the bot reads."""
        ids = {
            self.config.advice_forum_id,
            self.config.webinars_channel_id,
            self.config.announcements_channel_id,
        }
        for community in self.settings.all_communities:
            ids.update(c.chat_id for c in community.chats if c.platform == Platform.DISCORD.value)
        return {i for i in ids if i}

    def request_for(self, message: discord.Message) -> Request | None:
        """The core request for a message, or ``None`` when the bot should not read it."""
        if message.author.bot or message.author.id == (self.user.id if self.user else 0):
            return None
        text = message.content or ""
        if not text.strip():
            return None
        place = place_of(
            message.channel, message.guild.id if message.guild else None, message.author.id
        )
        if place.kind is not PlaceKind.PRIVATE and place.chat_id not in self.watched_channels():
            return None
        actor = actor_of(message.author, None)
        common: dict[str, Any] = {
            "update_id": f"message:{message.id}",
            "message_id": str(message.id),
            "reply_to": str(message.reference.message_id)
            if message.reference and message.reference.message_id
            else None,
        }
        if place.kind is PlaceKind.PRIVATE and text.startswith("/"):
            command, _, rest = text[1:].partition(" ")
            return Request(actor, place, RequestKind.COMMAND, command=command, text=rest, **common)
        return Request(actor, place, RequestKind.TEXT, text=text, **common)

    async def close(self) -> None:
        """Let the requests being handled finish first: Discord will not send them again."""
        await self.interactions.lanes.drain(DRAIN_SECONDS)
        await super().close()

    async def on_message(self, message: discord.Message) -> None:
        """Handle a message; through a storage outage it is held and handled once storage is
        back (a DM or a typed command is told once that the answer is coming)."""
        request = self.request_for(message)
        if request is None:
            return

        async def on_hold(_error: StorageUnavailable) -> None:
            expects_answer = (
                request.kind is RequestKind.COMMAND or request.place.kind is PlaceKind.PRIVATE
            )
            if expects_answer and self.interactions.notices.first(request.actor.user_id):
                translator = Translator(normalize_language(request.actor.locale) or "en")
                notice = Reply(body=doc(line(translator.gettext(HELD_NOTICE))))
                with contextlib.suppress(discord.HTTPException):
                    await self._reply(message, request, notice)

        # after the earlier messages of this channel and of this person, answers included
        async with self.interactions.lanes.turn(lane_keys(request)):
            try:
                replies = await self.app.health.patiently(
                    lambda: self.app.handle(request), on_hold=on_hold
                )
            except StorageUnavailable:  # the bot gives up on storage: Discord won't resend it
                log.warning("message %s dropped: storage unavailable", message.id)
                return
            for reply in replies:
                try:
                    await self._reply(message, request, reply)
                except discord.HTTPException as refused:  # e.g. closed DMs: the others go
                    log.warning("a reply to message %s was refused: %s", message.id, refused)

    async def _reply(self, message: discord.Message, request: Request, reply: Reply) -> None:
        if reply.destination is Destination.HERE or request.place.kind is PlaceKind.PRIVATE:
            await send_to(
                message.channel,
                reply,
                self.config,
                reference=message.to_reference(fail_if_not_exists=False),
            )
        else:  # private or "only you": a DM, since plain messages have no ephemeral form
            await send_to(
                await self.messenger.dm_channel(request.actor.user_id), reply, self.config
            )


class ShardedDiscordBot(DiscordBot, discord.AutoShardedClient):
    """The same bot over several gateway connections (``[discord] shards``).

    Discord sends each server's events on shard ``(guild_id >> 22) % shard_count`` and DMs on
    shard 0; discord.py opens the shards and routes what the bot sends. The connection counts
    as up while every shard is (readiness), and shards identify as fast as Discord allows:
    ``max_concurrency`` at once (``GET /gateway/bot``), then one bucket every 5 seconds.
    """

    def __init__(self, app: BotApp, settings: Settings, **options: Any) -> None:
        shards = settings.discord.shards
        count = shards if isinstance(shards, int) else None  # None: Discord's recommendation
        super().__init__(app, settings, shard_count=count, **options)
        self._down: set[int] = set()
        self._identified: set[int] = set()
        self._max_concurrency: int | None = None

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """A shard's first IDENTIFY waits only when its 5-second bucket is taken (shards 0 to
        ``max_concurrency - 1`` start together); a re-IDENTIFY waits as discord.py does."""
        if shard_id is not None and shard_id not in self._identified:
            self._identified.add(shard_id)
            if self._max_concurrency is None:
                limits = await self.fetch_session_start_limits()
                self._max_concurrency = max(limits.max_concurrency, 1)
            if shard_id < self._max_concurrency:
                return
        await super().before_identify_hook(shard_id, initial=initial)

    async def on_resumed(self) -> None:
        """Per shard: :meth:`on_shard_resumed` says which."""

    async def on_disconnect(self) -> None:
        """Per shard: :meth:`on_shard_disconnect` says which."""

    async def on_shard_ready(self, shard_id: int) -> None:
        self._shard_is(shard_id, up=True)

    async def on_shard_resumed(self, shard_id: int) -> None:
        self._shard_is(shard_id, up=True)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        self._shard_is(shard_id, up=False)

    def _shard_is(self, shard_id: int, *, up: bool) -> None:
        (self._down.discard if up else self._down.add)(shard_id)
        if not up or self.is_ready():  # before on_ready, the shards are still coming up
            self._connected(not self._down)


def client_for(settings: Settings) -> type[DiscordBot]:
    """The client class ``[discord] shards`` asks for."""
    return ShardedDiscordBot if settings.discord.shards is not None else DiscordBot


def point_at(settings: Settings) -> None:
    """Aim discord.py at the configured REST base and gateway (a proxy, or a test server).

    discord.py keeps both as class attributes (REST, webhooks and interaction callbacks all use
    ``Route.BASE``); the gateway given in READY's ``resume_gateway_url`` is used to resume.
    """
    discord.http.Route.BASE = settings.discord.api_base_url.rstrip("/")
    if settings.discord.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord.gateway_url)


async def run_discord(
    app: BotApp,
    settings: Settings,
    token: str,
    *,
    on_mirror: Callable[[EventMirror], None] | None = None,
    on_connection: Callable[[bool], None] | None = None,
) -> None:
    """Run the Discord adapter until cancelled.

    With ``[discord] mirror_events = true``, ``on_mirror`` receives the scheduled-event mirror
    once the client is ready (the runner gives it to :class:`bot.runtime.BackgroundWork`).
    ``on_connection`` hears the gateway connection go up (ready, resumed) and down.
    """
    point_at(settings)
    client = client_for(settings)
    bot = client(app, settings, on_mirror=on_mirror, on_connection=on_connection)
    try:
        await bot.start(token)
    finally:  # cancelled (shutdown) or failed: close the gateway and HTTP session cleanly
        if not bot.is_closed():
            await bot.close()


async def run_discord_sender(
    app: BotApp,
    settings: Settings,
    token: str,
    *,
    on_connection: Callable[[bool], None] | None = None,
) -> None:
    """Only send: the outbox's Discord rows go out from this process over REST, and no
    gateway connection is opened, so no event comes in (``champions-bot run --only
    dispatcher``). The token is checked at start (``GET /users/@me``)."""
    point_at(settings)
    silence_voice_warnings()
    client = discord.Client(
        intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none()
    )
    try:
        await client.login(token)
        app.add_messenger(DiscordMessenger(client, settings.discord))
        if on_connection is not None:
            on_connection(True)
        await asyncio.Event().wait()
    finally:
        if on_connection is not None:
            on_connection(False)
        await client.close()
