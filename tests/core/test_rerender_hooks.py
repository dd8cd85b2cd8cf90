"""A feature declares how its queued rows read again (``feature.rerender``), per registry."""

from __future__ import annotations

from typing import Any

from bot.core.feature import Feature
from bot.core.registry import Registry
from bot.features import build_registry


async def test_a_declared_rerender_hook_is_found_by_kind_on_each_registry() -> None:
    lab = Feature("lab")

    @lab.rerender("lab.card")
    async def card(uow: Any, row: Any, reply: Any) -> Any:
        return reply

    first, second = Registry(), Registry()
    assert first.rerender_hook("lab.card") is None  # nothing global: declared on install
    lab.install(first)
    lab.install(second)
    assert first.rerender_hook("lab.card") is card is second.rerender_hook("lab.card")
    assert first.rerender_hook("lab.other") is None


def test_every_advice_message_that_names_people_can_be_rendered_again() -> None:
    registry = build_registry()
    for kind in ("advice.question", "advice.answer", "advice.first_answer", "advice.state"):
        assert registry.rerender_hook(kind) is not None, kind
