"""The registry refuses declarations the platforms would refuse, at start-up."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.arguments import ArgKind, ArgSpec
from bot.core.feature import Feature
from bot.core.registry import Registry


async def _noop(ctx: Any, **_: Any) -> None:
    return None


@pytest.mark.parametrize("word", ["thème", "Help", "two words", "dash-ed", "ünïcode"])
def test_command_words_are_ascii_lowercase(word: str) -> None:
    feature = Feature("test")
    feature.command(word, description="x")(_noop)
    with pytest.raises(ValueError, match="lowercase letters, digits and _"):
        feature.install(Registry())


def test_a_handler_must_take_the_declared_arguments() -> None:
    async def rsvp(ctx: Any, event: int) -> None:
        return None

    with pytest.raises(TypeError, match="declares"):
        Feature("t").command("rsvp", description="x", args=[ArgSpec("id", ArgKind.INTEGER, "n")])(
            rsvp
        )


def test_an_optional_argument_needs_a_default() -> None:
    async def link(ctx: Any, code: str | None) -> None:
        return None

    arg = ArgSpec("code", ArgKind.WORD, "c", required=False)
    with pytest.raises(TypeError, match="needs a default"):
        Feature("t").command("link", description="x", args=[arg])(link)


def test_a_feature_installs_on_several_registries_without_sharing() -> None:
    feature = Feature("t")
    feature.command("ping", description="x")(_noop)
    first, second = Registry(), Registry()
    feature.install(first)
    feature.install(second)
    assert first.get(("ping",)) is not None and second.get(("ping",)) is not None
    assert [spec.name for spec in first.all()] == ["ping"]
