"""Core replies as Discord messages: DMs, text channels, threads and forum posts.

Every message goes out with ``allowed_mentions`` none, so nothing the bot says pings anyone;
the one exception is an admin announcement (``Reply.ping_role``), which may ping the
configured ``announcement_role_id`` and nothing else. Buttons become persistent
:class:`ActionButton` components, attachments become files.

Thread-aware replies (the hints of :class:`Reply`): ``open_thread`` names the new forum post,
or starts a thread on the message in a text channel; ``reply_to`` references the message
answered in a plain channel; ``thread`` renames, tags or archives the thread
(:mod:`adapters.discord.threads`).
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.render import render, split_message
from adapters.discord.threads import THREAD_NAME_LIMIT, show_state
from adapters.shorten import shorten
from bot.config import DiscordConfig
from bot.core.messages import Platform, Recipient, Reply, SentMessage, ThreadStatus
from bot.core.ports import DeliveryError

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordBot

log = logging.getLogger(__name__)

MAX_ROWS = 5
MAX_PER_ROW = 5
LABEL_LIMIT = 80


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?P<action>[\s\S]+)"):
    """A button whose custom id is the core action (``rsvp 12``, ``=fr``).

    Registered as a dynamic item, it is recognized from its custom id alone, so buttons keep
    working after a restart without any stored view.
    """

    def __init__(self, action: str, label: str = "…", row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=shorten(label, LABEL_LIMIT) or "…",
                custom_id=action,
                style=discord.ButtonStyle.secondary,
                row=row,
            )
        )
        self.action = action

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
    ) -> ActionButton:
        return cls(match["action"], getattr(item, "label", None) or "…")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: DiscordBot = interaction.client  # type: ignore[assignment]
        await bot.interactions.on_button(interaction, self.action)


def build_view(reply: Reply) -> discord.ui.View | None:
    """The reply's buttons as a view: its rows when they fit Discord's 5×5, else packed."""
    rows = [row for row in reply.buttons if row]
    if not rows:
        return None
    if len(rows) > MAX_ROWS or any(len(row) > MAX_PER_ROW for row in rows):
        flat = [button for row in rows for button in row][: MAX_ROWS * MAX_PER_ROW]
        rows = [tuple(flat[i : i + MAX_PER_ROW]) for i in range(0, len(flat), MAX_PER_ROW)]
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows):
        for button in row:
            view.add_item(ActionButton(button.action, button.label, row=index))
    return view


def files_of(reply: Reply) -> list[discord.File]:
    return [
        discord.File(io.BytesIO(attachment.data), filename=attachment.filename)
        for attachment in reply.attachments
    ]


def chunks_of(reply: Reply, config: DiscordConfig) -> tuple[list[str], discord.AllowedMentions]:
    """The reply's text in ≤2000-character pieces, and what it may ping (nothing by default)."""
    text = render(reply.body)
    mentions = discord.AllowedMentions.none()
    if reply.ping_role and config.announcement_role_id:
        text = f"<@&{config.announcement_role_id}>\n{text}"
        mentions = discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(id=int(config.announcement_role_id))],
        )
    return split_message(text), mentions


async def send_to(
    target: discord.abc.Messageable,
    reply: Reply,
    config: DiscordConfig,
    *,
    reference: discord.MessageReference | None = None,
) -> list[discord.Message]:
    """Send ``reply`` to a channel, thread or DM; buttons and files ride on the last piece."""
    pieces, mentions = chunks_of(reply, config)
    sent: list[discord.Message] = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        kwargs: dict[str, Any] = {"allowed_mentions": mentions if index == 0 else _none()}
        if last:
            view = build_view(reply)
            if view is not None:
                kwargs["view"] = view
            files = files_of(reply)
            if files:
                kwargs["files"] = files
        if index == 0 and reference is not None:
            kwargs["reference"] = reference
            kwargs["mention_author"] = False
        sent.append(await target.send(piece or None, **kwargs))
    return sent


def _none() -> discord.AllowedMentions:
    return discord.AllowedMentions.none()


class DiscordMessenger:
    """The :class:`Messenger` port for Discord: background sends (reminders, relays, posts)."""

    platform = Platform.DISCORD

    def __init__(self, client: discord.Client, config: DiscordConfig) -> None:
        self.client = client
        self.config = config

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        try:
            return await self._send(recipient, reply)
        except discord.Forbidden as error:
            raise DeliveryError(f"Discord refused: {error.text}", retryable=False) from error
        except discord.NotFound as error:
            raise DeliveryError(f"Discord chat not found: {error.text}") from error
        except discord.HTTPException as error:
            raise DeliveryError(
                f"Discord error {error.status}: {error.text}", retryable=error.status >= 500
            ) from error

    async def _send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        if recipient.private:
            channel = await self.dm_channel(recipient.chat_id)
            sent = await send_to(channel, reply, self.config)
            return SentMessage(Platform.DISCORD, recipient.chat_id, str(sent[0].id))
        reference = _reference(recipient, reply)
        if recipient.thread_id:
            state = reply.thread
            if state and state.status is ThreadStatus.OPEN:  # unarchive first: then it shows
                await show_state(self.client, int(recipient.thread_id), state)
            thread = self.client.get_partial_messageable(int(recipient.thread_id))
            sent = await send_to(thread, reply, self.config, reference=reference)
            if state and state.status is not ThreadStatus.OPEN:
                await show_state(self.client, int(recipient.thread_id), state)
            return SentMessage(
                Platform.DISCORD, recipient.chat_id, str(sent[0].id), recipient.thread_id
            )
        channel_id = int(recipient.chat_id)
        found = self.client.get_channel(channel_id) or await self.client.fetch_channel(channel_id)
        if isinstance(found, discord.ForumChannel):
            return await self._forum_post(found, reply)
        if not isinstance(found, discord.abc.Messageable):
            raise DeliveryError(f"Discord channel {channel_id} cannot receive messages")
        sent = await send_to(found, reply, self.config, reference=reference)
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

    async def dm_channel(self, user_id: str) -> discord.DMChannel:
        user = self.client.get_user(int(user_id)) or await self.client.fetch_user(int(user_id))
        return user.dm_channel or await user.create_dm()

    async def _forum_post(self, forum: discord.ForumChannel, reply: Reply) -> SentMessage:
        """A new forum post: the first line is its title, the first piece its opening message."""
        pieces, mentions = chunks_of(reply, self.config)
        title = thread_name(reply.open_thread or reply.body.plain().strip().split("\n")[0])
        kwargs: dict[str, Any] = {"allowed_mentions": mentions}
        view = build_view(reply)
        if view is not None and len(pieces) == 1:
            kwargs["view"] = view
        files = files_of(reply)
        if files and len(pieces) == 1:
            kwargs["files"] = files
        created = await forum.create_thread(name=title, content=pieces[0], **kwargs)
        thread = created.thread
        if len(pieces) > 1:
            rest = Reply(body=reply.body, buttons=reply.buttons, attachments=reply.attachments)
            await _send_rest(thread, pieces[1:], rest, self.config)
        return SentMessage(Platform.DISCORD, str(forum.id), str(created.message.id), str(thread.id))


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


async def _send_rest(
    thread: discord.Thread, pieces: list[str], reply: Reply, config: DiscordConfig
) -> None:
    for index, piece in enumerate(pieces):
        kwargs: dict[str, Any] = {"allowed_mentions": _none()}
        if index == len(pieces) - 1:
            view = build_view(reply)
            if view is not None:
                kwargs["view"] = view
            files = files_of(reply)
            if files:
                kwargs["files"] = files
        await thread.send(piece, **kwargs)
