"""Posting a core reply to a Discord channel, thread or DM: pieces, buttons, files, nonces.

Every message goes out with ``allowed_mentions`` none, so nothing the bot says pings anyone;
the one exception is an admin announcement (``Reply.ping_role``), which may ping the
configured ``announcement_role_id`` and nothing else. Buttons become persistent
:class:`ActionButton` components, attachments become files.

With a key, every piece is posted with a nonce (:func:`nonce_of`) and ``enforce_nonce``
(discord.py sets the flag with any nonce): for a few minutes Discord returns the message it
already has for the same nonce instead of posting a second one, so a post whose answer was
lost is simply tried again (:func:`post`).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from adapters.discord.render import render, split_message
from adapters.shorten import shorten
from bot.config import DiscordConfig
from bot.core.messages import Reply
from bot.core.ports import MaybeDeliveredError

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordBot

log = logging.getLogger(__name__)

MAX_ROWS = 5
MAX_PER_ROW = 5
LABEL_LIMIT = 80

SEND_TIMEOUT = 15.0
"""Seconds a post may take before Discord may or may not hold it (discord.py itself would
wait for aiohttp's five minutes)."""
UNSURE_RETRIES = 2
"""How often a post that may have arrived is tried again at once, under the same nonce."""


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


def nonce_of(key: str, index: int, text: str) -> str:
    """The nonce of piece ``index`` of a reply: the same at every attempt for the same key and
    text (a row re-rendered with new text under its old key is a new message), at most 25
    characters as Discord requires."""
    digest = hashlib.blake2b(f"{key}\n{text}".encode(), digest_size=10).hexdigest()
    return f"{digest}.{index}"


async def post(
    target: discord.abc.Messageable,
    content: str | None,
    options: Callable[[], dict[str, Any]],
    *,
    nonce: str | None = None,
    answer_within: float | None = None,
    retries: int = 0,
) -> discord.Message:
    """Post one message, waiting ``answer_within`` seconds at most (None: discord.py's own
    limits). Under a nonce, a post whose answer did not come (a timeout, a connection lost
    after the request) is tried again up to ``retries`` times: Discord returns
    the message it may already have. Then, or without a nonce, that is a
    :class:`MaybeDeliveredError`. ``options`` builds the other arguments for each try (files
    are read once)."""
    tries = 0
    while True:
        kwargs = options()
        if nonce is not None:
            kwargs["nonce"] = nonce
        try:
            return await asyncio.wait_for(target.send(content, **kwargs), answer_within)
        except aiohttp.ClientConnectorError:
            raise  # never reached Discord
        except (TimeoutError, aiohttp.ClientError) as error:
            if nonce is None or tries >= retries:
                raise MaybeDeliveredError(f"Discord may hold the message: {error!r}") from error
            tries += 1
            log.warning("a post to Discord may have arrived (%r); again, same nonce", error)


def piece_options(
    reply: Reply,
    mentions: discord.AllowedMentions,
    index: int,
    count: int,
    reference: discord.MessageReference | None = None,
) -> Callable[[], dict[str, Any]]:
    """The arguments of piece ``index`` of ``count``: buttons and files ride on the last one,
    the reference on the first."""

    def options() -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": mentions if index == 0 else _none()}
        if index == count - 1:
            view = build_view(reply)
            if view is not None:
                kwargs["view"] = view
            files = files_of(reply)
            if files:
                kwargs["files"] = files
        if index == 0 and reference is not None:
            kwargs["reference"] = reference
            kwargs["mention_author"] = False
        return kwargs

    return options


async def send_to(
    target: discord.abc.Messageable,
    reply: Reply,
    config: DiscordConfig,
    *,
    reference: discord.MessageReference | None = None,
    key: str | None = None,
    answer_within: float | None = None,
    retries: int = 0,
) -> list[discord.Message]:
    """Send ``reply`` to a channel, thread or DM; buttons and files ride on the last piece.

    With ``key``, each piece has its nonce (:func:`nonce_of`), so a piece is tried again in
    place when its answer is lost (see :func:`post`)."""
    pieces, mentions = chunks_of(reply, config)
    sent: list[discord.Message] = []
    for index, piece in enumerate(pieces):
        options = piece_options(reply, mentions, index, len(pieces), reference)
        nonce = nonce_of(key, index, piece) if key is not None else None
        waits: dict[str, Any] = {"answer_within": answer_within, "retries": retries}
        sent.append(await post(target, piece or None, options, nonce=nonce, **waits))
    return sent


def _none() -> discord.AllowedMentions:
    return discord.AllowedMentions.none()
