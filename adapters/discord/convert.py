"""Discord's objects as the core's, and the core's answers as Discord's: who wrote
(:func:`actor_of`), where (:func:`place_of`), the slash options as the strings the core's
argument types parse, the lanes that keep a channel's and a person's requests in order, and
autocomplete suggestions as the choices Discord accepts."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.lanes import keys_of
from adapters.shorten import shorten
from bot.core.messages import Actor, Place, PlaceKind, Platform, Request

CHOICE_LIMIT = 100
AUTOCOMPLETE_LIMIT = 25

_THREAD_TYPES = {
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
}


def actor_of(user: discord.User | discord.Member, locale: discord.Locale | None) -> Actor:
    return Actor(
        platform=Platform.DISCORD,
        user_id=str(user.id),
        display_name=user.display_name,
        locale=str(locale) if locale is not None else None,
        username=user.name,  # the unique handle; display_name is the shown one
    )


def place_of(channel: Any, guild_id: int | None, user_id: int) -> Place:
    """Where something happened: a DM, a channel, or a thread (forum post) of a channel."""
    if channel is None:
        return Place(Platform.DISCORD, f"dm:{user_id}", PlaceKind.PRIVATE)
    channel_type = getattr(channel, "type", None)
    if guild_id is None or channel_type in (discord.ChannelType.private, discord.ChannelType.group):
        return Place(Platform.DISCORD, str(channel.id), PlaceKind.PRIVATE)
    if channel_type in _THREAD_TYPES:
        parent = getattr(channel, "parent", None)
        parent_id = getattr(channel, "parent_id", None) or channel.id
        forum = isinstance(parent, discord.ForumChannel)
        return Place(
            Platform.DISCORD,
            str(parent_id),
            PlaceKind.FORUM if forum else PlaceKind.GROUP,
            thread_id=str(channel.id),
            title=getattr(channel, "name", None),
        )
    return Place(
        Platform.DISCORD, str(channel.id), PlaceKind.GROUP, title=getattr(channel, "name", None)
    )


def option_texts(values: dict[str, Any]) -> dict[str, str]:
    """Slash option values as the strings the core's argument types parse."""
    return {name: str(value) for name, value in values.items() if value is not None}


def autocomplete_choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    """At most 25 choices Discord accepts: names shortened at a word boundary to 100
    characters; a value over 100 cannot be cut (it would no longer mean anything), so its
    suggestion is left out."""
    return [
        app_commands.Choice(name=shorten(label, CHOICE_LIMIT) or value, value=value)
        for label, value in pairs
        if 0 < len(value) <= CHOICE_LIMIT
    ][:AUTOCOMPLETE_LIMIT]


def lane_keys(request: Request) -> tuple[str, ...]:
    """A request's lanes: its channel (or DM) and its author."""
    return keys_of(request.place.chat_id, request.actor.user_id)
