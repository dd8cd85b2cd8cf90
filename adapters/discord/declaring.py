"""What is declared to Discord: command names and descriptions localized from our catalogs
(:class:`CatalogTranslator`), and the declaration sent only when it changed.

Discord limits how many commands may be created a day, so :func:`sync_if_changed` hashes the
declared payload and re-declares only when the hash differs from the one stored in the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import locale_str

from adapters.discord.command_plan import OPTION_NAME
from adapters.discord.commands import DESCRIPTION_LIMIT
from adapters.shorten import shorten
from bot.app import BotApp
from bot.core.i18n import Translator as CoreTranslator
from bot.core.keywords import placeholder, shown

log = logging.getLogger(__name__)

SYNC_STATE_KEY = "discord.commands.{scope}"

DISCORD_LOCALES: dict[discord.Locale, str] = {
    discord.Locale.french: "fr",
    discord.Locale.spain_spanish: "es",
    discord.Locale.latin_american_spanish: "es",
}
"""Discord locales we translate into, and the catalog each reads (Discord offers no Arabic)."""


# ---------------------------------------------------------------------------------------------
# translations


class CatalogTranslator(app_commands.Translator):
    """Localizes descriptions and choice labels from the same .po catalogs the core uses."""

    async def translate(
        self,
        string: locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = DISCORD_LOCALES.get(locale)
        if language is None:
            return None
        location = app_commands.TranslationContextLocation
        if context.location is location.parameter_name:
            return _option_name(context.data, language)
        if context.location in (location.command_name, location.group_name):
            if getattr(context.data, "parent", None) is None:
                return None  # a root stays the word the menus and /help show
            word = str(string.message)
            localized = _discord_name(shown(word, language))
            return localized if localized != word else None
        msgid = str(string.extras.get("msgid", string.message))
        translated = CoreTranslator(language).gettext(msgid)
        if translated == msgid:
            return None
        return shorten(translated, DESCRIPTION_LIMIT)


def _discord_name(text: str) -> str | None:
    """``text`` as a Discord name (lowercase, ``_`` for spaces), or None when it cannot be."""
    name = text.strip().lower().replace(" ", "_")
    return name if OPTION_NAME.fullmatch(name) and name.lower() == name else None


def _option_name(parameter: Any, language: str) -> str | None:
    """An option's name in ``language`` (``question`` → ``pregunta``), unless it would read
    like another option of the same command: then the English name stays."""
    own = _discord_name(placeholder(parameter.name, language))
    command = getattr(parameter, "command", None)
    others = [p.name for p in getattr(command, "parameters", ()) if p.name != parameter.name]
    if own is None or own in {_discord_name(placeholder(o, language)) for o in others}:
        return None
    return own if own != parameter.name else None


# ---------------------------------------------------------------------------------------------
# syncing only when the declared set changed


async def declared_payload(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> list[dict[str, Any]]:
    """Exactly what :meth:`CommandTree.sync` would send for ``guild``."""
    translator = tree.translator
    commands = tree._get_all_commands(guild=guild)
    if translator is not None:
        return [await command.get_translated_payload(tree, translator) for command in commands]
    return [command.to_dict(tree) for command in commands]


def payload_hash(payload: list[dict[str, Any]]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


async def sync_if_changed(
    app: BotApp, tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> bool:
    """Declare the commands to Discord when they changed since the last sync; True if synced."""
    where = f"guild:{guild.id}" if guild is not None else "global"
    scope = f"{tree.client.application_id}:{where}"
    key = SYNC_STATE_KEY.format(scope=scope)
    digest = payload_hash(await declared_payload(tree, guild))
    async with app.database.unit_of_work() as uow:
        if await uow.adapter_state.get(key) == digest:
            log.info("Discord commands unchanged (%s); not syncing", scope)
            return False
    await tree.sync(guild=guild)
    async with app.database.unit_of_work() as uow:
        await uow.adapter_state.put(key, digest, app.clock.now())
    log.info("Discord commands synced (%s)", scope)
    return True
