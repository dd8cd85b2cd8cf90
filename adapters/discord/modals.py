"""The form (modal) that asks a slash command's long arguments in text boxes, within
Discord's limits on a modal's title, labels, placeholders and inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.command_plan import SlashCommand
from adapters.shorten import shorten
from bot.core.i18n import Translator

if TYPE_CHECKING:
    from adapters.discord.interactions import InteractionHandler

MODAL_TITLE_LIMIT = 45
MODAL_LABEL_LIMIT = 45
MODAL_PLACEHOLDER_LIMIT = 100
MODAL_INPUT_LIMIT = 4000


def modal_field_texts(description: str, name: str) -> tuple[str, str | None]:
    """A text box's label (≤ 45 characters, whole words) and, when the label had to be
    shortened, the whole description as its placeholder (≤ 100) so nothing is lost."""
    label = shorten(description, MODAL_LABEL_LIMIT) or shorten(name, MODAL_LABEL_LIMIT)
    if label == " ".join(description.split()):
        return label, None
    return label, shorten(description, MODAL_PLACEHOLDER_LIMIT)


MODAL_TIMEOUT = 3600.0
"""An abandoned form is forgotten after an hour (Discord's own limit is 15 minutes)."""


class CommandModal(discord.ui.Modal):
    """Asks the long arguments of a command (a question body, a bio) in text boxes."""

    def __init__(
        self,
        handler: InteractionHandler,
        slash: SlashCommand,
        given: dict[str, str],
        translator: Translator,
        opened_by: int,
        attachment: discord.Attachment | None = None,
    ) -> None:
        description = translator.gettext(slash.spec.description)
        title = shorten(description, MODAL_TITLE_LIMIT) or shorten(slash.name, MODAL_TITLE_LIMIT)
        # discord.py keeps open modals by custom id alone: one id per opening, or two people
        # filling in the same command would receive each other's submissions.
        super().__init__(title=title, timeout=MODAL_TIMEOUT, custom_id=f"modal:{opened_by}")
        self.handler = handler
        self.slash = slash
        self.given = given
        self.attachment = attachment
        """The file given with the command; fetched when the form is sent."""
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for arg in slash.long_args:
            label, placeholder = modal_field_texts(translator.gettext(arg.description), arg.name)
            field: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=label,
                placeholder=placeholder,
                style=discord.TextStyle.paragraph,
                required=arg.required,
                max_length=min(arg.limit, MODAL_INPUT_LIMIT),
                custom_id=arg.name,
            )
            self.inputs[arg.name] = field
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        options = dict(self.given)
        options.update({name: field.value for name, field in self.inputs.items() if field.value})
        await self.handler.run(
            interaction,
            self.handler.command_request(interaction, self.slash, options),
            attachment=self.attachment,
        )
