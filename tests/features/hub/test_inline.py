"""Inline lookups in the core (``RequestKind.INLINE``): cards from the hub search, in the
member's language, read-only, through ``app.handle`` on a real SQLite database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.messages import (
    INLINE_LIMIT,
    Actor,
    InlineCard,
    Place,
    PlaceKind,
    Platform,
    Reply,
    Request,
    RequestKind,
)
from storage.models import Member, ProcessedUpdate, ResourceLookup

ANALYSIS = "Women's Representation in Local Government: A Global Analysis (working paper)"
"""The UN Women analysis of the demo catalogue (bot/data/hub-catalogue.jsonl)."""


def inline(
    query: str, *, user: str = "101", locale: str | None = "en", update: str = "1"
) -> Request:
    return Request(
        actor=Actor(Platform.TELEGRAM, user, "Amina", locale=locale),
        place=Place(Platform.TELEGRAM, user, PlaceKind.PRIVATE),
        kind=RequestKind.INLINE,
        text=query,
        update_id=update,
    )


def listed(reply: Reply) -> InlineCard:
    """How the result is listed: every inline reply carries its card."""
    assert reply.inline is not None
    return reply.inline


def titles(replies: list[Reply]) -> list[str]:
    return [listed(r).title for r in replies]


async def counts(app: BotApp) -> dict[str, Any]:
    async with app.database.unit_of_work() as uow:
        return {
            model.__name__: await uow.session.scalar(select(func.count()).select_from(model))
            for model in (Member, ProcessedUpdate, ResourceLookup)
        }


async def test_quota_offers_the_un_women_analysis_as_a_card(app: BotApp) -> None:
    replies = await app.handle(inline("quota"))
    assert 0 < len(replies) <= INLINE_LIMIT
    assert ANALYSIS in titles(replies)[:3]
    card = replies[titles(replies).index(ANALYSIS)]
    assert str(listed(card).description).startswith("Publication · 2021 · UN Women")
    assert "\n" not in str(listed(card).description)
    assert str(listed(card).id).isdigit()
    shared = card.body.plain()
    assert shared.startswith(ANALYSIS)
    assert "https://www.unwomen.org/en/digital-library/publications/2022/01/" in shared
    ids = [str(listed(r).id) for r in replies]
    assert len(set(ids)) == len(ids)


async def test_labels_follow_the_members_language(app: BotApp) -> None:
    spanish = await app.handle(inline("cuotas de género", user="202", locale="es"))
    assert spanish, "a Spanish query finds the (English) quota resources"
    assert ANALYSIS in titles(spanish)
    card = spanish[titles(spanish).index(ANALYSIS)]
    assert str(listed(card).description).startswith("Publicación · 2021")
    arabic = await app.handle(inline("quota", user="303", locale="ar"))
    assert all(r.rtl for r in arabic)
    assert str(listed(arabic[titles(arabic).index(ANALYSIS)]).description).startswith("منشور")


async def test_many_matches_are_cut_to_ten(app: BotApp) -> None:
    replies = await app.handle(inline("gender equality local government"))
    assert len(replies) == INLINE_LIMIT


async def test_an_empty_query_offers_the_newest_resources(app: BotApp) -> None:
    replies = await app.handle(inline("   "))
    assert len(replies) == INLINE_LIMIT
    years = [int(str(listed(r).description).split(" · ")[1]) for r in replies]
    assert years == sorted(years, reverse=True)


async def test_bad_input_gives_no_results_and_no_error_message(app: BotApp) -> None:
    assert await app.handle(inline("<b>&")) == []
    assert await app.handle(inline("theme:no-such-theme quota")) == []
    assert await app.handle(inline("the of and")) == []


async def test_lookups_are_read_only_and_repeatable(app: BotApp) -> None:
    before = await counts(app)
    first = await app.handle(inline("quota", user="9999", update="77"))
    again = await app.handle(inline("quota", user="9999", update="77"))  # a redelivery
    assert first and titles(again) == titles(first)
    assert [r.body for r in again] == [r.body for r in first]
    assert await counts(app) == before, "no member, update id or lookup was recorded"


async def test_a_known_members_own_language_wins(app: BotApp) -> None:
    await app.handle(
        Request(
            actor=Actor(Platform.TELEGRAM, "404", "Lucía", locale="en"),
            place=Place(Platform.TELEGRAM, "404", PlaceKind.PRIVATE),
            command="profile",
            text="set language es",
        )
    )
    replies = await app.handle(inline("quota", user="404", locale="en"))
    assert str(listed(replies[0]).description).split(" · ")[0] in {
        "Noticia",
        "Conjunto de datos",
        "Publicación",
    }
