"""Core replies as Discord messages: DMs, text channels, threads and forum posts.

How one reply is posted (pieces, pings, buttons, files, nonces): :mod:`adapters.discord.posting`.

Thread-aware replies (the hints of :class:`Reply`): ``open_thread`` names the new forum post,
or starts a thread on the message in a text channel; ``reply_to`` references the message
answered in a plain channel; ``thread`` renames, tags or archives the thread
(:mod:`adapters.discord.threads`).

Every piece is posted with a nonce and ``enforce_nonce`` (discord.py sets the flag with any
nonce): for a few minutes Discord returns the message it already has for the same nonce
instead of posting a second one. The nonces come from the outbox row's key and each piece's
text (:meth:`DiscordMessenger.send_once`), so a post that outlived :data:`SEND_TIMEOUT`
(Discord may hold it) is simply tried again at once, and the outbox may resend the row later
without a duplicate. Past that window the outbox first looks in the chat
(:meth:`DiscordMessenger.find_sent`, :mod:`adapters.discord.history`). A forum post's opening
message takes no nonce: it is never repeated in place.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import datetime
from typing import Any

import aiohttp
import discord

from adapters.discord.history import find_message, find_post
from adapters.discord.posting import (
    SEND_TIMEOUT,
    UNSURE_RETRIES,
    ActionButton,
    build_view,
    chunks_of,
    files_of,
    nonce_of,
    piece_options,
    post,
    send_to,
)
from adapters.discord.threads import THREAD_NAME_LIMIT, show_state
from adapters.shorten import shorten
from bot.config import DiscordConfig
from bot.core.messages import (
    MeetingPlace,
    Platform,
    Recipient,
    Reply,
    SentMessage,
    ThreadStatus,
)
from bot.core.ports import DeliveryError, MaybeDeliveredError, RateLimitedError

__all__ = ["ActionButton", "DiscordMessenger", "build_view", "chunks_of", "files_of", "send_to"]

log = logging.getLogger(__name__)


class DiscordMessenger:
    """The :class:`Messenger` port for Discord: background sends (reminders, relays, posts)."""

    platform = Platform.DISCORD

    def __init__(
        self,
        client: discord.Client,
        config: DiscordConfig,
        *,
        send_timeout: float = SEND_TIMEOUT,
        unsure_retries: int = UNSURE_RETRIES,
    ) -> None:
        self.client = client
        self.config = config
        self.send_timeout = send_timeout
        self.unsure_retries = unsure_retries

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        """Send once (a fresh key: in-place retries cannot post it twice)."""
        return await self.send_once(recipient, reply, key=secrets.token_hex(8))

    async def send_once(self, recipient: Recipient, reply: Reply, *, key: str) -> SentMessage:
        """Send ``reply``; the same ``key`` again within Discord's nonce window (a few minutes)
        returns the messages already posted instead of posting them twice."""
        try:
            return await self._send(recipient, reply, key)
        except aiohttp.ClientConnectorError as error:
            raise DeliveryError(f"Discord unreachable: {error}", retryable=True) from error
        except discord.Forbidden as error:
            raise DeliveryError(f"Discord refused: {error.text}", retryable=False) from error
        except discord.NotFound as error:
            raise DeliveryError(f"Discord chat not found: {error.text}") from error
        except discord.RateLimited as error:  # a route's bucket (never the global limit)
            raise RateLimitedError(
                f"Discord rate limit: {error}", retry_after=error.retry_after, scope="chat"
            ) from error
        except discord.HTTPException as error:
            if error.status == 429:
                raise rate_limited(error) from error
            raise DeliveryError(
                f"Discord error {error.status}: {error.text}", retryable=error.status >= 500
            ) from error

    async def find_sent(
        self, recipient: Recipient, reply: Reply, *, since: datetime
    ) -> SentMessage | None:
        """The message showing ``reply`` the bot posted in the recipient's chat since
        ``since``, if it is there (:mod:`adapters.discord.history`)."""
        me = self.client.user
        if me is None:
            return None
        pieces, _mentions = chunks_of(reply, self.config)
        files = [attachment.filename for attachment in reply.attachments]
        thread_id = recipient.thread_id
        target: discord.abc.Messageable
        if recipient.private:
            target = await self.dm_channel(recipient.chat_id)
        elif thread_id:
            target = self.client.get_partial_messageable(int(thread_id))
        else:
            found = await self._channel(int(recipient.chat_id))
            if isinstance(found, discord.ForumChannel):
                opening = await find_post(found, me.id, _post_title(reply), pieces[0], since)
                if opening is None:
                    return None
                post_id = str(opening.channel.id)
                return SentMessage(Platform.DISCORD, str(found.id), str(opening.id), post_id)
            if not isinstance(found, discord.abc.Messageable):
                return None
            target = found
        message = await find_message(target, me.id, pieces[0], files, since)
        if message is None:
            return None
        if message.thread is not None:
            thread_id = str(message.thread.id)
        return SentMessage(Platform.DISCORD, recipient.chat_id, str(message.id), thread_id)

    async def _channel(self, channel_id: int) -> Any:
        return self.client.get_channel(channel_id) or await self.client.fetch_channel(channel_id)

    def _send_to(
        self,
        target: discord.abc.Messageable,
        reply: Reply,
        key: str,
        reference: discord.MessageReference | None = None,
    ) -> Any:
        return send_to(
            target,
            reply,
            self.config,
            reference=reference,
            key=key,
            answer_within=self.send_timeout,
            retries=self.unsure_retries,
        )

    async def _send(self, recipient: Recipient, reply: Reply, key: str) -> SentMessage:
        if recipient.private:
            channel = await self.dm_channel(recipient.chat_id)
            sent = await self._send_to(channel, reply, key)
            return SentMessage(Platform.DISCORD, recipient.chat_id, str(sent[0].id))
        reference = _reference(recipient, reply)
        if recipient.thread_id:
            state = reply.thread
            if state and state.status is ThreadStatus.OPEN:  # unarchive first: then it shows
                await show_state(self.client, int(recipient.thread_id), state)
            thread = self.client.get_partial_messageable(int(recipient.thread_id))
            sent = await self._send_to(thread, reply, key, reference)
            if state and state.status is not ThreadStatus.OPEN:
                await show_state(self.client, int(recipient.thread_id), state)
            return SentMessage(
                Platform.DISCORD, recipient.chat_id, str(sent[0].id), recipient.thread_id
            )
        channel_id = int(recipient.chat_id)
        found = await self._channel(channel_id)
        if reply.meeting_place is not None:
            return await self._meeting_place(found, reply, reply.meeting_place, key)
        if isinstance(found, discord.ForumChannel):
            return await self._forum_post(found, reply, key)
        if not isinstance(found, discord.abc.Messageable):
            raise DeliveryError(f"Discord channel {channel_id} cannot receive messages")
        sent = await self._send_to(found, reply, key, reference)
        title = reply.open_thread
        if title and isinstance(found, discord.TextChannel):
            try:
                started = await sent[0].create_thread(name=thread_name(title))
            except discord.HTTPException as refused:  # the message is out: answers reply to it
                log.warning("no thread on message %s: %s", sent[0].id, refused)
            else:
                return SentMessage(
                    Platform.DISCORD, recipient.chat_id, str(sent[0].id), str(started.id)
                )
        return SentMessage(Platform.DISCORD, recipient.chat_id, str(sent[0].id))

    async def _meeting_place(
        self, channel: Any, reply: Reply, place: MeetingPlace, key: str
    ) -> SentMessage:
        """A private thread (type 12, members cannot invite others) in a text channel, each
        account added, the reply posted inside. Tried again (the outbox retries), it finds the
        thread it already opened by its name instead of opening a second one."""
        if not isinstance(channel, discord.TextChannel):
            raise DeliveryError(
                f"Discord channel {getattr(channel, 'id', '?')} is not a text channel: "
                "private threads open in text channels only"
            )
        name = thread_name(place.title)
        thread = await self._open_thread(channel, name)
        if thread is None:
            thread = await channel.create_thread(
                name=name,
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
            )
        for account in place.accounts:
            await thread.add_user(discord.Object(id=int(account)))
        plain = Reply(body=reply.body, buttons=reply.buttons, rtl=reply.rtl)
        sent = await self._send_to(thread, plain, key)
        return SentMessage(Platform.DISCORD, str(channel.id), str(sent[0].id), str(thread.id))

    async def _open_thread(self, channel: discord.TextChannel, name: str) -> discord.Thread | None:
        """An active thread of ``channel`` named ``name`` that the bot opened, if any."""
        me = self.client.user
        threads = list(channel.threads)
        if not any(t.name == name for t in threads):
            threads = [t for t in await channel.guild.active_threads() if t.parent_id == channel.id]
        for thread in threads:
            if thread.name == name and me is not None and thread.owner_id == me.id:
                return thread
        return None

    async def dm_channel(self, user_id: str) -> discord.DMChannel:
        user = self.client.get_user(int(user_id)) or await self.client.fetch_user(int(user_id))
        return user.dm_channel or await user.create_dm()

    async def _forum_post(self, forum: discord.ForumChannel, reply: Reply, key: str) -> SentMessage:
        """A new forum post: the first line is its title, the first piece its opening message.

        Creating a post takes no nonce: when its answer is lost it is not tried again here
        (:class:`MaybeDeliveredError`); the outbox looks among the forum's posts first."""
        pieces, mentions = chunks_of(reply, self.config)
        kwargs: dict[str, Any] = {"allowed_mentions": mentions}
        view = build_view(reply)
        if view is not None and len(pieces) == 1:
            kwargs["view"] = view
        files = files_of(reply)
        if files and len(pieces) == 1:
            kwargs["files"] = files
        creating = forum.create_thread(name=_post_title(reply), content=pieces[0], **kwargs)
        try:
            created = await asyncio.wait_for(creating, self.send_timeout)
        except aiohttp.ClientConnectorError:
            raise
        except (TimeoutError, aiohttp.ClientError) as error:
            raise MaybeDeliveredError(f"Discord may hold the post: {error!r}") from error
        thread = created.thread
        if len(pieces) > 1:
            rest = Reply(body=reply.body, buttons=reply.buttons, attachments=reply.attachments)
            for index, piece in enumerate(pieces[1:], start=1):
                options = piece_options(rest, discord.AllowedMentions.none(), index, len(pieces))
                await post(
                    thread,
                    piece,
                    options,
                    nonce=nonce_of(key, index, piece),
                    answer_within=self.send_timeout,
                    retries=self.unsure_retries,
                )
        return SentMessage(Platform.DISCORD, str(forum.id), str(created.message.id), str(thread.id))


def _post_title(reply: Reply) -> str:
    """A forum post's title: the reply's thread title, else its first line."""
    return thread_name(reply.open_thread or reply.body.plain().strip().split("\n")[0])


def thread_name(title: str) -> str:
    """A post or thread name: one line, 1-100 characters."""
    return shorten(title, THREAD_NAME_LIMIT) or "…"


def _reference(recipient: Recipient, reply: Reply) -> discord.MessageReference | None:
    """The message this reply answers (``reply_to``) in a plain channel, sent even if that
    message was deleted since. Inside a thread or post the thread already says what it
    answers, as in a Telegram topic."""
    answered = reply.reply_to or ""
    if not answered.isdigit() or recipient.thread_id:
        return None
    return discord.MessageReference(
        message_id=int(answered), channel_id=int(recipient.chat_id), fail_if_not_exists=False
    )


def rate_limited(error: discord.HTTPException) -> RateLimitedError:
    """A 429 discord.py gave up on: Discord's ``X-RateLimit-Scope`` says ``global`` for the
    bot's overall limit, ``user`` or ``shared`` for one route (here: one channel's messages);
    ``X-RateLimit-Global`` and the body's ``global`` flag say the same."""
    headers = getattr(error.response, "headers", None) or {}
    scope = str(headers.get("X-RateLimit-Scope", "")).lower()
    is_global = scope == "global" or str(headers.get("X-RateLimit-Global", "")).lower() == "true"
    try:
        retry_after = float(headers.get("Retry-After") or 1.0)
    except ValueError:
        retry_after = 1.0
    return RateLimitedError(
        f"Discord rate limit ({scope or 'unknown'}): {error.text}",
        retry_after=retry_after,
        scope="platform" if is_global or not scope else "chat",
    )
