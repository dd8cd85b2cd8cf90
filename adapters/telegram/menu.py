"""The "/" command menu, derived from the core registry in every supported language.

Telegram menus are per scope and language. Members get the commands anyone or any champion
may use, in the default scope. Network admins (the core's admins: ``[admins] telegram`` in the
config and members with the admin role) get every command in the scope of their own private
chat with the bot and of each linked group. We do not use "all chat administrators": being an
admin of a Telegram group does not make someone an admin of the network, and the menu should not
offer commands the core would refuse.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
)
from telegram.error import BadRequest, Forbidden

from adapters.shorten import shorten, utf16_units
from bot.app import BotApp
from bot.core.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES, Translator
from bot.core.registry import Audience, CommandSpec, Registry
from storage.statuses import MembershipRole

log = logging.getLogger(__name__)

DESCRIPTION_LIMIT = 256
MENU_LIMIT = 100


def _describe(specs: Sequence[CommandSpec], translator: Translator) -> str:
    """One line for a menu entry: the top command's description, else its subcommands'."""
    top = next((spec for spec in specs if len(spec.path) == 1), None)
    if top is not None:
        text = translator.gettext(top.description)
    else:
        text = "; ".join(translator.gettext(spec.description) for spec in specs)
    # Telegram counts UTF-16 code units; a long entry is cut between words, not inside one.
    return shorten(text, DESCRIPTION_LIMIT, measure=utf16_units) or specs[0].path[0]


def menu_commands(registry: Registry, audience: Audience, language: str) -> list[BotCommand]:
    """Menu entries for people with ``audience``: one per first word of a visible command, in
    ``/help``'s order (by topic, a topic's featured commands first), as Telegram keeps it."""
    translator = Translator(language)
    groups: dict[str, list[CommandSpec]] = {}
    for specs in registry.by_topic(audience).values():
        for spec in specs:
            groups.setdefault(spec.path[0], []).append(spec)
    entries = [BotCommand(word, _describe(specs, translator)) for word, specs in groups.items()]
    return entries[:MENU_LIMIT]


@dataclass(frozen=True)
class AdminPlaces:
    """Where the admin menu must show: admins' user ids and the linked group chats."""

    admin_user_ids: tuple[int, ...]
    group_chat_ids: tuple[int, ...] = ()


async def admin_places(app: BotApp) -> AdminPlaces:
    """The network's Telegram admins (config and admin role) and the linked Telegram groups."""
    users = {
        int(user_id) for user_id in app.settings.admins.telegram if user_id.lstrip("-").isdigit()
    }
    chats: set[int] = set()
    async with app.database.unit_of_work() as uow:
        for community in await uow.communities.all():
            for chat in await uow.communities.chats(community):
                if chat.platform == "telegram" and chat.chat_id.lstrip("-").isdigit():
                    chats.add(int(chat.chat_id))
            for member in await uow.communities.members_with_role(community, MembershipRole.ADMIN):
                users.update(
                    int(account.platform_user_id)
                    for account in member.accounts
                    if account.platform == "telegram" and account.platform_user_id.isdigit()
                )
    return AdminPlaces(tuple(sorted(users)), tuple(sorted(chats)))


def admin_scopes(places: AdminPlaces) -> list[BotCommandScope]:
    scopes: list[BotCommandScope] = []
    for user_id in places.admin_user_ids:
        scopes.append(BotCommandScopeChat(user_id))  # their private chat with the bot
        scopes.extend(BotCommandScopeChatMember(chat, user_id) for chat in places.group_chat_ids)
    return scopes


def _languages() -> Iterable[str | None]:
    """``None`` (the fallback for any language) in English, then each translated language."""
    yield None
    yield from (lang for lang in SUPPORTED_LANGUAGES if lang != SOURCE_LANGUAGE)


async def publish_menus(bot: Bot, registry: Registry, places: AdminPlaces) -> int:
    """Set every menu; returns how many ``setMyCommands`` calls were made."""
    calls = 0
    targets: list[tuple[BotCommandScope | None, Audience]] = [(None, Audience.CHAMPION)]
    targets += [(scope, Audience.ADMIN) for scope in admin_scopes(places)]
    for scope, audience in targets:
        for language in _languages():
            commands = menu_commands(registry, audience, language or SOURCE_LANGUAGE)
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=language)
            except (BadRequest, Forbidden) as error:
                # e.g. an admin who is not (yet) in a linked group: skip that scope
                log.warning("menu for %s not set: %s", scope, error)
                break
            calls += 1
    log.info("published %d Telegram command menus", calls)
    return calls
