"""Inline mode end to end: the real python-telegram-bot answers ``@bot query`` through the
loopback Bot API, which checks every ``answerInlineQuery`` against the published spec and
parses each shared message as Telegram would (the ``fake`` fixture fails on any violation)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from adapters.telegram import TelegramAdapter
from adapters.telegram.adapter import ALLOWED_UPDATES
from adapters.telegram.render import RLM
from bot.app import BotApp
from bot.features.hub.records import clean
from storage.models import Member, ProcessedUpdate, ResourceLookup
from tests.adapters.telegram.conftest import AMINA, KARIM
from tests.fakes.botapi_spec import check_call
from tests.fakes.telegram_api import FakeTelegram, user

ANALYSIS = "Women's Representation in Local Government: A Global Analysis (working paper)"
"""UN Women's analysis in the demo catalogue (bot/data/hub-catalogue.jsonl)."""
LUCIA = user(103, "Lucía", language="es")


async def test_quota_offers_un_womens_analysis_to_share(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    update = fake.inline_query(AMINA, "quota")
    await fake.push(update)
    answer = await fake.wait_inline(update)
    titles = [r.title for r in answer.results]
    assert 0 < len(titles) <= 10
    assert ANALYSIS in titles[:3]
    card = answer.results[titles.index(ANALYSIS)]
    assert card.description is not None
    assert card.description.startswith("Publication · 2021 · UN Women")
    assert card.text.startswith(ANALYSIS + "\nPublication · 2021 · UN Women")
    url = "https://www.unwomen.org/en/digital-library/publications/2022/01/"
    assert url in card.text
    assert f'<a href="{url}' in card.html
    assert card.html.startswith("<b>Women's Representation")
    assert answer.is_personal and answer.cache_time is not None and answer.cache_time <= 60
    assert len({r.id for r in answer.results}) == len(answer.results)
    assert all(0 < len(r.id.encode()) <= 64 for r in answer.results)
    assert "inline_query" in ALLOWED_UPDATES
    assert fake.sent == [], "an inline lookup sends no message of its own"


async def test_a_spanish_query_finds_the_english_quota_resources(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    update = fake.inline_query(LUCIA, "cuotas de género")
    await fake.push(update)
    answer = await fake.wait_inline(update)
    titles = [r.title for r in answer.results]
    assert ANALYSIS in titles
    card = answer.results[titles.index(ANALYSIS)]
    assert card.text.split("\n")[1].startswith("Publicación · 2021")


async def test_arabic_readers_get_right_to_left_cards(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    update = fake.inline_query(KARIM, "quota")
    await fake.push(update)
    answer = await fake.wait_inline(update)
    assert answer.results
    assert all(line.startswith(RLM) for r in answer.results for line in r.text.split("\n"))
    card = next(r for r in answer.results if r.title == ANALYSIS)
    assert card.text.split("\n")[1].replace(RLM, "").startswith("منشور · 2021")


async def test_hostile_text_is_answered_safely(
    fake: FakeTelegram, telegram: TelegramAdapter, bot_app: BotApp
) -> None:
    hostile = {
        "title": "Quotas <b>& </i> budgets",
        "url": "https://example.org/quota?a=1&b=<2>",
        "type": "guide",
        "summary": "Fences </a><script>alert(1)</script> & quotas",
        "publisher": "A & B <Ltd>",
        "year": 2026,
    }
    key, values = clean(hostile)
    async with bot_app.database.unit_of_work() as uow:
        await uow.resources.add(dedup_key=key, values=values, now=bot_app.clock.now())
    only_tags = fake.inline_query(AMINA, "<b>&")
    await fake.push(only_tags)
    assert (await fake.wait_inline(only_tags)).results == []
    mixed = fake.inline_query(AMINA, "quotas budgets <b>&")
    await fake.push(mixed)
    answer = await fake.wait_inline(mixed)
    card = next(r for r in answer.results if r.title == hostile["title"])
    assert card.text.split("\n")[:3] == [
        "Quotas <b>& </i> budgets",
        "Guide · 2026 · A & B <Ltd>",
        "Fences </a><script>alert(1)</script> & quotas",
    ]
    assert "&lt;script&gt;" in card.html and "<script>" not in card.html
    assert card.description is not None and "<Ltd>" in card.description


async def test_empty_query_offers_the_newest_resources(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    update = fake.inline_query(AMINA, "", chat_type="sender")
    await fake.push(update)
    answer = await fake.wait_inline(update)
    assert len(answer.results) == 10
    years = [int(str(r.description).split(" · ")[1]) for r in answer.results]
    assert years == sorted(years, reverse=True)


async def test_inline_queries_record_nothing_and_repeat_identically(
    fake: FakeTelegram, telegram: TelegramAdapter, bot_app: BotApp
) -> None:
    stranger = user(4242, "Stranger", language="en")

    async def counts() -> list[int | None]:
        async with bot_app.database.unit_of_work() as uow:
            return [
                await uow.session.scalar(select(func.count()).select_from(model))
                for model in (Member, ProcessedUpdate, ResourceLookup)
            ]

    before = await counts()
    first, second = fake.inline_query(stranger, "quota"), fake.inline_query(stranger, "quota")
    await fake.push(first)
    await fake.push(second)
    one, two = await fake.wait_inline(first), await fake.wait_inline(second)
    assert one.results and [r.text for r in two.results] == [r.text for r in one.results]
    assert await counts() == before


def _article(text: str, **extra: object) -> dict[str, object]:
    content = {"message_text": text, "parse_mode": "HTML"}
    return {"type": "article", "id": "1", "title": "t", "input_message_content": content, **extra}


def test_the_spec_check_catches_bad_inline_answers() -> None:
    """Passing the fake's check means something: it reads inside the results."""

    def check(*results: dict[str, object]) -> list[str]:
        return check_call(
            "answerInlineQuery", {"inline_query_id": "q", "results": json.dumps(results)}
        )

    assert check(_article("<b>fine</b> &amp; well")) == []
    assert any("can't parse entities" in e for e in check(_article("a < b & c")))
    assert check(_article("<b>" + "x" * 4096 + "</b>")) == [], "lengths count the parsed text"
    assert check(_article("x" * 4097))
    assert check(_article("ok", id="x" * 65))
    assert check({**_article("ok"), "type": "articel"})
    assert check(_article("ok", colour="red"))
