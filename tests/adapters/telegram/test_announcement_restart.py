"""An announcement to 500 champions through the real PTB and the loopback Bot API, with the
bot stopped in the middle of the fan-out: after the restart every champion has it exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import timedelta

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.config import RemindersConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from tests.adapters.telegram.conftest import FAST, telegram_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say, texts

CHAMPIONS = 500
FIRST_ID = 700_000
QUICK = dataclasses.replace(FAST, overall_per_second=2000)
"""The rate limiter stays on; the limit is raised so the test is quick."""


async def _champions(app: BotApp) -> None:
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for n in range(CHAMPIONS):
            member = await uow.members.create(
                display_name=f"Champion {n}", platform="telegram",
                platform_user_id=str(FIRST_ID + n), username=None, language="en", now=now,
            )  # fmt: skip
            await uow.communities.set_role(community, member, "champion", now)


async def test_500_champions_get_the_announcement_once_across_a_restart(
    sqlite_url: str, fake: FakeTelegram, clock: ManualClock
) -> None:
    settings = telegram_settings(sqlite_url, fake).model_copy(
        update={"reminders": RemindersConfig(send_rates={"telegram": 2000.0}, concurrency=8)}
    )
    app = await BotApp.start(settings, clock=clock)
    await _champions(app)
    app.add_messenger(RecordingMessenger(clock))  # the author's final report (a console admin)
    queued = texts(await say(app, "boss", "/announce champions Toolkit training opens Monday",
                             admin=True))  # fmt: skip
    assert "500 deliveries queued" in queued

    adapter = TelegramAdapter(app, settings, fake.token, tuning=QUICK)
    await adapter.start()
    run = asyncio.create_task(Dispatcher(app, stop_timeout=0.05).run_due())
    await fake.wait_for(lambda: len(fake.sent) >= 150, within=30)
    run.cancel()  # the process stops in the middle of the fan-out
    await asyncio.gather(run, return_exceptions=True)
    await adapter.stop()
    await app.close()
    before = len(fake.sent)
    assert 150 <= before < CHAMPIONS

    clock.advance(timedelta(minutes=6))  # claims a crash would leave are stale by now
    restarted = await BotApp.start(settings, clock=clock)
    report = RecordingMessenger(clock)
    restarted.add_messenger(report)
    adapter = TelegramAdapter(restarted, settings, fake.token, tuning=QUICK)
    await adapter.start()
    try:
        await Dispatcher(restarted).run_due()
        await Dispatcher(restarted).run_due()  # the author's report, queued by the last send
    finally:
        await adapter.stop()
        await restarted.close()
    received = Counter(s.chat_id for s in fake.sent if s.method == "sendMessage")
    assert len(received) == CHAMPIONS and set(received.values()) == {1}
    assert all("Toolkit training opens Monday" in s.text for s in fake.sent)
    assert [d.text.splitlines()[1] for d in report.sent] == ["Sent: 500. Failed: 0. Missed: 0."]
    assert Platform.TELEGRAM in restarted.messengers
