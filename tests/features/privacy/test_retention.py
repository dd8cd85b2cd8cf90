"""Copies of sent messages are deleted after ``[privacy] keep_sent_days``; nothing repeats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.app import BotApp
from bot.config import PrivacyConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from bot.features.privacy.retention import prune_sent_messages
from storage.models import OutboxMessage
from storage.repositories.outbox import NewMessage
from storage.statuses import OutboxStatus
from tests.features.privacy.week import ForumMessenger, Person, send_due, two_communities


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    settings = two_communities(db_url).model_copy(
        update={"privacy": PrivacyConfig(keep_sent_days=7)}
    )
    bot_app = await BotApp.start(settings, clock=clock)
    yield bot_app
    await bot_app.close()


async def keys(app: BotApp) -> set[str]:
    async with app.database.unit_of_work() as uow:
        return set((await uow.session.scalars(select(OutboxMessage.idempotency_key))).all())


async def test_done_rows_older_than_the_period_are_deleted(app: BotApp, clock: ManualClock) -> None:
    now = clock.now()
    ages = {"old": timedelta(days=8), "young": timedelta(days=6)}
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(
            [
                NewMessage(f"{status}:{age}", "test", "console", "room", {}, now - ages[age])
                for status in OutboxStatus
                for age in ages
            ],
            now=now,
        )
        for status in OutboxStatus:
            await uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.idempotency_key.startswith(f"{status}:"))
                .values(status=status)
            )
    assert prune_sent_messages in app.registry.periodic_jobs
    assert await prune_sent_messages(app, now) == 4
    assert await keys(app) == {
        "sent:young", "failed:young", "missed:young", "unconfirmed:young",
        "pending:old", "pending:young", "sending:old", "sending:young",
    }  # fmt: skip
    assert await prune_sent_messages(app, now) == 0


async def test_a_pruned_first_answer_notice_is_not_sent_again(
    app: BotApp, clock: ManualClock
) -> None:
    """The asker hears of the first answer once, even when its outbox row is long gone."""
    messenger = ForumMessenger(clock, platform=Platform.TELEGRAM)
    app.add_messenger(messenger)
    app.add_messenger(ForumMessenger(clock, platform=Platform.DISCORD))
    dispatcher = Dispatcher(app)
    lucia = Person(app, Platform.TELEGRAM, "7309876543", "Lucía")
    grace = Person(app, Platform.DISCORD, "998877665544332211", "Grace")
    await lucia.say("/ask How do small councils fund shelters for women?")
    await grace.say("/answer Q1 With the regional government.")
    await send_due(dispatcher)
    assert len(messenger.to("7309876543")) == 1
    clock.advance(timedelta(days=8))
    assert await prune_sent_messages(app, clock.now()) > 0
    await grace.say("/answer Q1 And a second thought, a week later.")
    await lucia.say("/answer Q1 Thank you both!")  # the asker's own follow-up: no notice either
    await send_due(dispatcher)
    assert len(messenger.to("7309876543")) == 1
    async with app.database.unit_of_work() as uow:
        kinds = select(func.count()).where(OutboxMessage.kind == "advice.first_answer")
        assert await uow.session.scalar(kinds) == 0
