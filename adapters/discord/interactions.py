"""Interactions (slash commands, buttons, modals, autocomplete) → core requests → responses.

Discord wants an answer within 3 seconds: the core gets ``defer_after`` seconds (2 by default)
and, if it is slower, the interaction is deferred (the "thinking" state) and answered later.
When storage is unavailable the request is held: the interaction is acknowledged at once (the
first time in an outage with a note that the answer is coming, then deferred), the request is
tried again once storage is back, and answered through the interaction's webhook, which Discord
keeps for 15 minutes. Discord never sends an interaction again, so a held one lives in memory
only: if the bot gives up on storage first, the person is told that nothing was done.
The interaction id is the request's ``update_id``, so a redelivered interaction is never
handled twice. Where each reply goes (the caller alone, the channel, their DMs):
:mod:`adapters.discord.answering`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands

from adapters.discord.acknowledge import Acknowledgement
from adapters.discord.answering import InteractionAnswers
from adapters.discord.command_plan import FILE_OPTION, SlashCommand
from adapters.discord.convert import (
    actor_of,
    autocomplete_choices,
    lane_keys,
    option_texts,
    place_of,
)
from adapters.discord.messenger import DiscordMessenger
from adapters.discord.modals import CommandModal
from adapters.discord.uploads import with_attachment
from adapters.lanes import Lanes
from bot.app import BotApp
from bot.config import DiscordConfig
from bot.core.arguments import ArgSpec
from bot.core.i18n import N_
from bot.core.messages import Place, Reply, Request, RequestKind
from bot.core.suggestions import SuggestionQuery, suggest
from bot.health import HELD_NOTICE, OutageNotices
from storage.errors import StorageUnavailable

log = logging.getLogger(__name__)

DEFER_AFTER_SECONDS = 2.0
"""How long the core may take before the interaction is deferred (Discord allows 3 s)."""
HOLD_SECONDS = 14 * 60.0
"""How long a request held for storage may wait: the interaction's webhook lives 15 minutes."""

NOT_DONE = N_(
    "Sorry, I could not reach my records in time, so nothing was done. Please try again in a "
    "few minutes."
)


class InteractionHandler(InteractionAnswers):
    """Turns interactions into requests and the core's replies into interaction responses."""

    def __init__(
        self,
        app: BotApp,
        messenger: DiscordMessenger,
        config: DiscordConfig,
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
        hold_seconds: float = HOLD_SECONDS,
    ) -> None:
        self.lanes = Lanes()
        """Shared with message events: each channel's and each person's requests in order,
        handled and answered; different channels and people at once."""
        self.app = app
        self.messenger = messenger
        self.config = config
        self.defer_after = defer_after
        self.hold_seconds = hold_seconds
        self.notices = OutageNotices(app.health)
        """Shared with message events: who was told, in this outage, that answers will come."""

    # requests ---------------------------------------------------------------------------

    def command_request(
        self, interaction: discord.Interaction, slash: SlashCommand, options: dict[str, str]
    ) -> Request:
        return Request(
            actor=actor_of(interaction.user, interaction.locale),
            place=self._place(interaction),
            kind=RequestKind.COMMAND,
            command=slash.spec.name,
            options=options,
            update_id=str(interaction.id),
        )

    def _place(self, interaction: discord.Interaction) -> Place:
        return place_of(interaction.channel, interaction.guild_id, interaction.user.id)

    # entry points -----------------------------------------------------------------------

    async def on_command(
        self, interaction: discord.Interaction, slash: SlashCommand, values: dict[str, Any]
    ) -> None:
        attachment = values.pop(FILE_OPTION, None) if slash.file is not None else None
        options = option_texts(values)
        missing_long = [arg for arg in slash.long_args if arg.name not in options]
        if missing_long:
            request = self.command_request(interaction, slash, options)
            try:
                refused = await self.app.refusal(request)
            except StorageUnavailable:  # the form opens; its submission is checked again
                refused = []
            if refused:  # not theirs to run: say so now rather than after they typed
                await self.deliver(interaction, request, refused, deferred=False)
                return
            modal = CommandModal(
                self,
                slash,
                options,
                self._translator(interaction),
                opened_by=interaction.id,
                attachment=attachment,
            )
            await interaction.response.send_modal(modal)
            return
        request = self.command_request(interaction, slash, options)
        await self.run(interaction, request, attachment=attachment)

    async def on_button(self, interaction: discord.Interaction, action: str) -> None:
        request = Request(
            actor=actor_of(interaction.user, interaction.locale),
            place=self._place(interaction),
            kind=RequestKind.BUTTON,
            command=None,
            text=action,
            update_id=str(interaction.id),
            message_id=str(interaction.message.id) if interaction.message else None,
        )
        await self.run(interaction, request)

    async def autocomplete(
        self, interaction: discord.Interaction, arg: ArgSpec, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggestions from the argument's source, or its choices filtered by what was typed."""
        translator = self._translator(interaction)
        if arg.suggest:
            query = SuggestionQuery(
                ports=self.app,
                actor=actor_of(interaction.user, interaction.locale),
                prefix=current,
                translator=translator,
            )
            try:
                found = await suggest(query, arg.suggest)
            except StorageUnavailable:  # nothing to suggest until storage is back
                found = []
            pairs = [(s.label, s.value) for s in found]
        else:
            typed = current.casefold()
            labelled = [(translator.gettext(c.label), c.value) for c in arg.choices]
            pairs = [
                (label, value)
                for label, value in labelled
                if typed in label.casefold() or typed in value.casefold()
            ]
        return autocomplete_choices(pairs)

    # running and answering --------------------------------------------------------------

    async def run(
        self,
        interaction: discord.Interaction,
        request: Request,
        *,
        attachment: discord.Attachment | None = None,
    ) -> None:
        """Handle ``request``; defer if the core is slow or storage away; deliver every reply.

        An ``attachment`` is fetched first, within the same 3-second clock (a big file gets the
        interaction deferred like a slow command)."""
        acknowledge = Acknowledgement(interaction)

        async def on_hold(_error: StorageUnavailable) -> None:
            first = self.notices.first(request.actor.user_id)
            await acknowledge(self._translator(interaction).gettext(HELD_NOTICE) if first else None)

        ticket = self.lanes.ticket(lane_keys(request))  # its place now, in arrival order

        async def in_turn() -> list[Reply]:
            await ticket.wait()
            ready = request
            if attachment is not None:
                limit = self.app.settings.contributions.max_file_bytes
                ready = await with_attachment(request, attachment, limit)
            deadline = asyncio.get_running_loop().time() + self.hold_seconds
            return await self.app.health.patiently(
                lambda: self.app.handle(ready), on_hold=on_hold, deadline=deadline
            )

        # the 3-second clock runs while it waits for its turn too: deferred in time either way
        work = asyncio.ensure_future(in_turn())
        try:
            done, _ = await asyncio.wait({work}, timeout=self.defer_after)
            if not done and not acknowledge.done:
                # still waiting, maybe for its turn behind a request held for storage: whoever
                # waits through an outage is told once, as the held ones are
                if not self.app.health.availability.available:
                    await on_hold(StorageUnavailable("waiting behind a held request"))
                else:
                    await acknowledge()
            try:
                replies = await work
            except StorageUnavailable:  # held too long, or the bot gives up on storage
                log.warning("interaction %s dropped: storage unavailable", interaction.id)
                await acknowledge.replace(self._translator(interaction).gettext(NOT_DONE))
                return
            await self.deliver(interaction, request, replies, deferred=acknowledge.done)
        finally:
            if not work.done():
                work.cancel()
            ticket.release()
