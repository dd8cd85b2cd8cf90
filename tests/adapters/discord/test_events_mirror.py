"""Events mirrored as Discord scheduled events: the real discord.py against the fake Discord.

Admins use the slash commands; the background sweep (``BackgroundWork``, clock injected)
creates, edits and cancels the guild scheduled event, once, and retries after a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import run_discord
from adapters.discord.events_mirror import (
    DESCRIPTION_LIMIT,
    LOCATION_LIMIT,
    DiscordEventMirror,
    event_fields,
)
from bot.app import BotApp
from bot.config import ConfigError, DiscordConfig, load_settings
from bot.core.clock import ManualClock
from bot.core.ports import EventMirror, MirroredEvent
from bot.runtime import BackgroundWork
from storage.models import Event
from tests.adapters.discord.conftest import Running, Starter, discord_settings, text_of
from tests.adapters.discord.hostile import HOSTILE, pings
from tests.fakes.discord import FakeDiscord

EVENTS = r"^/guilds/\d+/scheduled-events"


def when(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


def mirror_calls(fake: FakeDiscord, method: str | None = None) -> list[tuple[str, str, Any]]:
    return [
        (m, p, b)
        for m, p, b in fake.requests
        if p.startswith("/guilds/") and "/scheduled-events" in p and method in (None, m)
    ]


class Mirrored:
    """A bot with ``mirror_events = true``, its background work, and an admin."""

    def __init__(self, fake: FakeDiscord, running: Running, admin: str) -> None:
        self.fake = fake
        self.running = running
        self.admin = admin
        mirror = running.bot.events_mirror
        assert isinstance(mirror, DiscordEventMirror)
        self.background = BackgroundWork(running.app)
        self.background.set_mirror(mirror)

    async def command(self, *words: str, **options: Any) -> str:
        data = self.fake.command_data(*words, options=options)
        done = await self.fake.run_interaction(self.fake.interaction(self.admin, 2, data))
        await self.fake.settle(0.05)
        return text_of(done)

    async def sweep(self) -> None:
        """One periodic pass, as the scheduler runs it every ``sweep_seconds``."""
        await self.background.scheduler.sweep()

    async def event(self, event_id: int = 1) -> Event:
        async with self.running.app.database.unit_of_work() as uow:
            found = await uow.events.get(event_id)
            assert found is not None
            return found


@pytest.fixture
async def mirrored(fake: FakeDiscord, start_bot: Starter, clock: ManualClock) -> Mirrored:
    fake.clock = clock.now  # Discord refuses a start in the past
    admin = fake.add_user("Sofia")
    running = await start_bot(admins=(admin,), mirror_events=True)
    bot = Mirrored(fake, running, admin)
    added = await bot.command(
        "webinar",
        "add",
        title="Gender budgeting in LGAs",
        start="2026-11-26 14:00",
        details="Europe/Madrid 90m https://meet.example.org/gb",
    )
    assert "#1" in added, added
    return bot


async def test_add_creates_exactly_one_scheduled_event_at_the_right_utc_times(
    fake: FakeDiscord, mirrored: Mirrored
) -> None:
    assert mirror_calls(fake) == []  # the admin's command never waits on Discord's events API
    await mirrored.sweep()
    assert len(mirror_calls(fake, "POST")) == 1
    assert len(fake.scheduled_events) == 1
    [created] = fake.scheduled_events.values()
    assert when(created["scheduled_start_time"]) == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
    assert when(created["scheduled_end_time"]) == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    assert created["name"] == "Gender budgeting in LGAs"
    assert created["entity_type"] == 3 and created["privacy_level"] == 2
    assert created["entity_metadata"] == {"location": "https://meet.example.org/gb"}
    assert created["status"] == 1
    stored = await mirrored.event()
    assert stored.discord_event_id == created["id"]
    assert stored.mirrored_revision == stored.revision

    before = len(fake.requests)
    await mirrored.sweep()
    await mirrored.sweep()
    assert fake.requests[before:] == []  # nothing changed, nothing asked
    assert len(fake.scheduled_events) == 1


async def test_edit_and_reschedule_update_the_same_scheduled_event(
    fake: FakeDiscord, mirrored: Mirrored
) -> None:
    await mirrored.sweep()
    [event_id] = fake.scheduled_events
    await mirrored.command("webinar", "edit", id=1, field="title", value="Budgets that count")
    await mirrored.command(
        "webinar", "edit", id=1, field="description", value="Bring *your* budget @everyone"
    )
    await mirrored.sweep()
    assert list(fake.scheduled_events) == [event_id]
    assert fake.scheduled_events[event_id]["name"] == "Budgets that count"
    description = fake.scheduled_events[event_id]["description"]
    assert "\\*your\\*" in description and not pings(description)

    answer = await mirrored.command("webinar", "reschedule", id=1, start="2026-11-27 10:00")
    assert "#1" in answer or "Budgets" in answer, answer
    await mirrored.sweep()
    assert len(mirror_calls(fake, "POST")) == 1  # edits never create a second event
    assert len(mirror_calls(fake, "PATCH")) == 2
    assert list(fake.scheduled_events) == [event_id]
    moved = fake.scheduled_events[event_id]
    assert when(moved["scheduled_start_time"]) == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert when(moved["scheduled_end_time"]) == datetime(2026, 11, 27, 10, 30, tzinfo=UTC)

    before = len(fake.requests)
    await mirrored.sweep()
    assert fake.requests[before:] == []


async def test_cancel_cancels_the_scheduled_event_once(
    fake: FakeDiscord, mirrored: Mirrored
) -> None:
    await mirrored.sweep()
    [event_id] = fake.scheduled_events
    await mirrored.command("webinar", "cancel", id=1)
    await mirrored.sweep()
    assert fake.scheduled_events[event_id]["status"] == 4
    assert [b for m, _, b in mirror_calls(fake, "PATCH")] == [{"status": 4}]
    before = len(fake.requests)
    await mirrored.sweep()
    assert fake.requests[before:] == []


async def test_an_event_cancelled_before_any_sweep_is_never_created(
    fake: FakeDiscord, mirrored: Mirrored
) -> None:
    await mirrored.command("webinar", "cancel", id=1)
    await mirrored.sweep()
    assert mirror_calls(fake) == []


async def test_a_scheduled_event_deleted_by_hand_is_created_again_on_the_next_change(
    fake: FakeDiscord, mirrored: Mirrored
) -> None:
    await mirrored.sweep()
    [first] = fake.scheduled_events
    del fake.scheduled_events[first]  # a server manager deleted it in Discord
    await mirrored.command("webinar", "edit", id=1, field="duration", value="60m")
    await mirrored.sweep()
    [second] = fake.scheduled_events
    assert second != first
    assert (await mirrored.event()).discord_event_id == second
    span = fake.scheduled_events[second]
    assert when(span["scheduled_end_time"]) - when(span["scheduled_start_time"]) == (
        datetime(2026, 1, 1, 1) - datetime(2026, 1, 1)
    )


async def test_an_edit_during_the_event_keeps_its_start(
    fake: FakeDiscord, mirrored: Mirrored, clock: ManualClock
) -> None:
    await mirrored.sweep()
    [event_id] = fake.scheduled_events
    clock.set(datetime(2026, 11, 26, 13, 30, tzinfo=UTC))  # half an hour into the webinar
    await mirrored.command("webinar", "edit", id=1, field="description", value="Slides inside")
    await mirrored.sweep()
    [(_, _, body)] = mirror_calls(fake, "PATCH")
    assert "scheduled_start_time" not in body and fake.refused == []
    assert fake.scheduled_events[event_id]["description"] == "Slides inside"


async def test_a_running_occurrence_is_refused_then_the_next_one_is_mirrored(
    fake: FakeDiscord, mirrored: Mirrored, clock: ManualClock
) -> None:
    await mirrored.command(
        "webinar",
        "add",
        title="Toolkit training",
        start="2026-11-17 10:00",
        details="Europe/Madrid 60m weekly:3 https://meet.example.org/tk",
    )
    clock.set(datetime(2026, 11, 17, 9, 30, tzinfo=UTC))  # the first session is running
    await mirrored.sweep()
    assert len(fake.refused) == 1 and len(fake.scheduled_events) == 1  # only the webinar
    assert (await mirrored.event(2)).discord_event_id is None
    clock.set(datetime(2026, 11, 17, 10, 30, tzinfo=UTC))
    await mirrored.sweep()
    series = fake.scheduled_events[str((await mirrored.event(2)).discord_event_id)]
    assert when(series["scheduled_start_time"]) == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert len(fake.scheduled_events) == 2


@pytest.mark.parametrize("status", [403, 503])
async def test_a_mirror_failure_leaves_the_bot_working_and_is_retried(
    fake: FakeDiscord, mirrored: Mirrored, status: int
) -> None:
    fake.fail("POST", EVENTS, status)
    await mirrored.sweep()
    assert fake.failed and fake.scheduled_events == {}
    stored = await mirrored.event()
    assert stored.discord_event_id is None and stored.mirrored_revision != stored.revision
    # The bot still answers commands while Discord refuses the events API.
    assert "Gender budgeting in LGAs" in await mirrored.command("webinars")

    fake.recover()
    await mirrored.sweep()
    [event_id] = fake.scheduled_events
    assert (await mirrored.event()).discord_event_id == event_id

    # An edit that fails is retried too, on the same event.
    fake.fail("PATCH", EVENTS, status)
    await mirrored.command("webinar", "reschedule", id=1, start="2026-11-27 10:00")
    await mirrored.sweep()
    assert when(fake.scheduled_events[event_id]["scheduled_start_time"]).day == 26
    fake.recover()
    await mirrored.sweep()
    assert list(fake.scheduled_events) == [event_id]
    assert when(fake.scheduled_events[event_id]["scheduled_start_time"]) == datetime(
        2026, 11, 27, 9, 0, tzinfo=UTC
    )
    assert len(mirror_calls(fake, "POST")) == 2  # the refused one and the created one


async def test_run_discord_hands_the_mirror_over_once_ready(
    fake: FakeDiscord, tmp_path: Path, clock: ManualClock
) -> None:
    settings = discord_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", fake, mirror_events=True
    )
    app = await BotApp.start(settings, clock=clock)
    received: list[EventMirror | None] = []
    background = BackgroundWork(app)
    task = asyncio.create_task(
        run_discord(app, settings, "fake-token", on_mirror=lambda m: received.append(m))
    )
    try:
        for _ in range(200):
            if received:
                break
            await asyncio.sleep(0.02)
        assert len(received) == 1 and isinstance(received[0], DiscordEventMirror)
        background.set_mirror(received[0])
        assert background.mirror is received[0]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()


async def test_without_the_key_there_is_no_mirror(fake: FakeDiscord, start_bot: Starter) -> None:
    running = await start_bot()
    assert running.bot.events_mirror is None


def test_mirror_events_needs_a_guild(tmp_path: Path) -> None:
    assert DiscordConfig(guild_id="1", mirror_events=True).mirror_events
    config = tmp_path / "bot.toml"
    config.write_text("[discord]\nmirror_events = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="guild_id"):
        load_settings(config)


def test_long_and_hostile_text_fits_discord_limits() -> None:
    link = "https://meet.example.org/gender-budget_" + "x" * 200  # not escaped: stays a link
    fields = event_fields(
        MirroredEvent(
            title="T" * 300,
            description=(HOSTILE + "\n") * 100,
            starts_at=datetime(2026, 11, 26, 13, tzinfo=UTC),
            ends_at=datetime(2026, 11, 26, 14, tzinfo=UTC),
            location=link,
        )
    )
    assert len(str(fields["name"])) == 100 and str(fields["name"]).endswith("…")
    location, description = str(fields["location"]), str(fields["description"])
    assert len(location) == LOCATION_LIMIT
    assert len(description) <= DESCRIPTION_LIMIT and description.startswith(f"<{link}>\n\n")
    assert not pings(description) and not description.endswith("\\…")
    empty = event_fields(
        MirroredEvent("T", "", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2), "")
    )
    assert empty["location"] == "—" and empty["description"] == ""
