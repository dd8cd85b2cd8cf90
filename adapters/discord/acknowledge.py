"""Discord's 3-second rule, met once per interaction, whoever gets there first.

Two things may have to acknowledge an interaction before its answer is ready: the timer that
defers a slow request, and a storage outage that holds it (with a note that the answer is
coming). They may race; the first one answers Discord, the other follows up or does nothing.
"""

from __future__ import annotations

import asyncio
import logging

import discord

log = logging.getLogger(__name__)


class Acknowledgement:
    """Acknowledges one interaction: a note only the caller sees, or the thinking state."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction
        self._lock = asyncio.Lock()

    @property
    def done(self) -> bool:
        """Whether Discord has had its first response (later answers edit or follow up)."""
        return self.interaction.response.is_done()

    async def __call__(self, note: str | None = None) -> None:
        """Acknowledge with ``note``, or defer without one; once acknowledged, a note comes as
        a follow-up and a bare acknowledgement does nothing."""
        interaction = self.interaction
        async with self._lock:
            try:
                if self.done:
                    if note:
                        await interaction.followup.send(note, ephemeral=True)
                elif note:
                    await interaction.response.send_message(note, ephemeral=True)
                else:
                    await interaction.response.defer(ephemeral=True, thinking=True)
            except discord.HTTPException:
                log.warning("could not acknowledge interaction %s", interaction.id)

    async def replace(self, note: str) -> None:
        """Say ``note`` as the whole answer (replacing a note or the thinking state)."""
        async with self._lock:
            try:
                if self.done:
                    await self.interaction.edit_original_response(content=note)
                else:
                    await self.interaction.response.send_message(note, ephemeral=True)
            except discord.HTTPException as error:
                log.info("interaction %s not told: %s", self.interaction.id, error)
