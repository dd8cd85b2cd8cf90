"""The Discord adapter passes the user's unique ``name`` (the @handle) on the neutral Actor,
next to the shown ``display_name``, so the core can find members by it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from adapters.discord.convert import actor_of


def test_the_unique_name_is_the_actor_handle_and_the_display_name_is_shown() -> None:
    user: Any = SimpleNamespace(id=42, name="lucia.g", display_name="Lucía Gómez")
    actor = actor_of(user, None)
    assert (actor.user_id, actor.display_name, actor.username) == ("42", "Lucía Gómez", "lucia.g")
