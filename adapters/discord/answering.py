"""Answering an interaction with the core's replies, each where it belongs.

Ephemeral replies (errors, confirmations, personal views such as ``/help``) are visible to the
caller only; replies for the channel are posted there; private replies go to the caller's DMs,
and the core's pointer to them is shown to the caller alone (it is dropped when nothing went to
the DMs). A deferred interaction's first answer replaces its "thinking" message; when no reply
was shown, the caller still reads that it was done (or that the answer went to their DMs).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.messenger import DiscordMessenger, build_view, chunks_of, files_of, send_to
from bot.config import DiscordConfig
from bot.core.i18n import N_, Translator, normalize_language
from bot.core.messages import Destination, PlaceKind, Reply, Request

log = logging.getLogger(__name__)

SENT_PRIVATELY = N_("I sent you a private message.")
DONE = N_("Done.")


class InteractionAnswers:
    """Sends replies as interaction responses, follow-ups, channel posts and DMs; mixed into
    :class:`~adapters.discord.interactions.InteractionHandler`."""

    messenger: DiscordMessenger
    config: DiscordConfig

    def _translator(self, interaction: discord.Interaction) -> Translator:
        return Translator(normalize_language(str(interaction.locale)) or "en")

    async def deliver(
        self,
        interaction: discord.Interaction,
        request: Request,
        replies: list[Reply],
        *,
        deferred: bool,
    ) -> None:
        answered = False
        sent_private = False
        posted = False
        for reply in replies:
            if reply.destination is Destination.POINTER and not sent_private:
                continue  # what it points at was shown here, to the caller alone
            private = request.place.kind is PlaceKind.PRIVATE
            ephemeral = reply.destination is not Destination.HERE and not private
            if reply.destination is Destination.PRIVATE and not private:
                try:
                    dm = await self.messenger.dm_channel(request.actor.user_id)
                    await send_to(dm, reply, self.config)
                    sent_private = True
                    continue
                except discord.HTTPException as error:  # DMs closed: show it to them here
                    log.info("DM to %s failed (%s); answering ephemerally", request.actor, error)
            if deferred and not ephemeral:
                # The thinking message is ephemeral: a public answer goes to the channel.
                await send_to(self._channel(interaction), reply, self.config)
                posted = True
                continue
            await self._respond(
                interaction, reply, ephemeral=ephemeral, deferred=deferred, first=not answered
            )
            answered = True
        if answered:
            return
        translator = self._translator(interaction)
        note = translator.gettext(SENT_PRIVATELY if sent_private else DONE)
        try:
            if deferred and posted and not sent_private:
                await interaction.delete_original_response()
            elif deferred:
                await interaction.edit_original_response(content=note)
            elif interaction.type is discord.InteractionType.component and not sent_private:
                await interaction.response.defer()
            else:
                await interaction.response.send_message(
                    note, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                )
        except discord.HTTPException as error:
            log.info("interaction %s not acknowledged: %s", interaction.id, error)

    def _channel(self, interaction: discord.Interaction) -> Any:
        channel_id = interaction.channel_id or 0
        return self.messenger.client.get_partial_messageable(channel_id)

    async def _respond(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        *,
        ephemeral: bool,
        deferred: bool,
        first: bool,
    ) -> None:
        pieces, mentions = chunks_of(reply, self.config)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            kwargs: dict[str, Any] = {"allowed_mentions": mentions}
            view = build_view(reply) if last else None
            files = files_of(reply) if last else []
            if view is not None:
                kwargs["view"] = view
            try:
                if first and index == 0 and deferred:
                    if files:
                        kwargs["attachments"] = files
                    await interaction.edit_original_response(content=piece, **kwargs)
                elif not interaction.response.is_done():
                    if files:
                        kwargs["files"] = files
                    await interaction.response.send_message(piece, ephemeral=ephemeral, **kwargs)
                else:
                    if files:
                        kwargs["files"] = files
                    await interaction.followup.send(piece, ephemeral=ephemeral, **kwargs)
            except discord.HTTPException as error:
                # e.g. 40060 "already acknowledged": a redelivered interaction; never send twice.
                log.warning("could not answer interaction %s: %s", interaction.id, error)
                return
