"""Announcements fan out through the durable outbox: once each, across a restart."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say, texts

MEMBERS = 500


async def _champions(app: BotApp, count: int) -> None:
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for n in range(count):
            member = await uow.members.create(
                display_name=f"Champion {n}", platform="console", platform_user_id=f"c{n}",
                username=None, language=None, now=now,
            )  # fmt: skip
            await uow.communities.set_role(community, member, "champion", now)


async def test_500_champions_get_one_announcement_each_across_a_restart(
    tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    app = await BotApp.start(settings, clock=clock)
    await _champions(app, MEMBERS)
    await say(app, "sofia", "/start")
    reply = texts(await say(app, "sofia", "/announce champions The Toolkit training opens Monday"))
    assert "Announcement #1 is on its way." in reply and "500 deliveries queued" in reply

    stopping = asyncio.Event()
    first = RecordingMessenger(clock)

    async def stop_midway(count: int) -> None:
        if count >= 180:
            stopping.set()
            await asyncio.sleep(3600)

    first.before = stop_midway
    app.add_messenger(first)
    run = asyncio.create_task(Dispatcher(app, stop_timeout=0.01).run_due())
    await asyncio.wait_for(stopping.wait(), 30)
    run.cancel()  # the process stops in the middle of the fan-out
    await asyncio.gather(run, return_exceptions=True)
    await app.close()
    assert 150 <= len(first.sent) < MEMBERS

    restarted = await BotApp.start(settings, clock=clock)
    second = RecordingMessenger(clock, sent=list(first.sent))
    restarted.add_messenger(second)
    clock.advance(timedelta(minutes=6))  # stale claims are recovered
    await Dispatcher(restarted).run_due()
    await Dispatcher(restarted).run_due()  # the author's report, queued by the last delivery
    per_member = Counter(d.recipient.chat_id for d in second.sent if d.recipient.chat_id != "sofia")
    assert len(per_member) == MEMBERS and set(per_member.values()) == {1}
    report = [d.text for d in second.sent if d.recipient.chat_id == "sofia"]
    assert len(report) == 1 and "Sent: 500. Failed: 0. Missed: 0." in report[0]
    status = texts(await say(restarted, "sofia", "/announce status 1"))
    assert "Sent: 500. Waiting: 0." in status
    await restarted.close()


async def test_chat_announcement_pings_the_role_on_discord_only(
    tmp_path: Path, clock: ManualClock
) -> None:
    community = CommunityConfig(
        chats=(
            ChatLink(platform="telegram", chat_id="-100", purpose="general"),
            ChatLink(platform="discord", chat_id="42", purpose="announcements"),
        )
    )
    app = await BotApp.start(
        make_settings(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", community=community), clock=clock
    )
    messengers = {p: RecordingMessenger(clock, platform=p) for p in Platform}
    for messenger in messengers.values():
        app.add_messenger(messenger)
    await say(app, "sofia", "/announce ping Webinar tomorrow @everyone <b>")
    assert "for the network's admins" in texts(await say(app, "amina", "/announce chats Hi all"))
    await Dispatcher(app).run_due()
    [tg] = messengers[Platform.TELEGRAM].sent
    [dc] = messengers[Platform.DISCORD].sent
    assert "Webinar tomorrow @everyone <b>" in tg.text and "Webinar tomorrow" in dc.text
    assert dc.reply.ping_role is True and not tg.reply.ping_role
    await app.close()


async def test_nobody_to_send_to_is_explained(app: BotApp) -> None:
    reply = texts(await say(app, "sofia", "/announce chats Hello"))
    assert "Nobody to send it to" in reply
