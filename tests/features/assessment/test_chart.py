"""The pictures are real PNGs, differ with the results, and are drawn off the event loop."""

from __future__ import annotations

import asyncio
import io
import threading

import numpy as np
import pytest
from PIL import Image

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.assessment import chart, results
from bot.features.assessment.chart import Radar, StatsChart, radar_png, stats_png
from tests.features.assessment.helpers import action, answer_all, press, question
from tests.helpers import say, texts

LABELS = [f"Criterion {n}" for n in range(12)]


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_the_radar_is_a_png_whose_pixels_follow_the_answers() -> None:
    low = radar_png(Radar("Leadership", LABELS, [20.0] * 12))
    high = radar_png(Radar("Leadership", LABELS, [100.0, 80.0] * 6, before=[20.0] * 12))
    for data in (low, high):
        image = _image(data)
        assert image.format == "PNG" and image.size == (700, 700)
    difference = np.abs(
        np.asarray(_image(low).convert("RGB"), dtype=int)
        - np.asarray(_image(high).convert("RGB"), dtype=int)
    )
    assert (difference.sum(axis=2) > 0).mean() > 0.02  # more than 2 % of the pixels changed


def test_the_stats_picture_is_a_png() -> None:
    data = stats_png(
        StatsChart(
            "Champions",
            ["W1", "W2", "W3"],
            [1, 4, 2],
            "New members per week",
            ["Latin America", "Asia Pacific"],
            [2, 1],
            "Champions per region",
        )
    )
    assert _image(data).size == (900, 400)


async def _finish_to_last_question(app: BotApp, name: str) -> str:
    replies = await say(app, name, "/assess start")
    replies = await answer_all(app, name, [3] * 11, replies)
    return action(question(replies), "4")


async def test_a_request_is_answered_while_a_chart_is_drawn(
    app: BotApp, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = await _finish_to_last_question(app, "amina")
    await say(app, "grace", "/help")  # Grace exists before the race (her first write is done)
    slow_started = asyncio.Event()
    release = threading.Event()
    loop = asyncio.get_running_loop()

    def slow_radar(radar: Radar) -> bytes:
        loop.call_soon_threadsafe(slow_started.set)
        # A slow drawing, blocking as matplotlib is, that cannot end before /help is answered:
        # the race is decided by the code, not by the machine's speed.
        if not release.wait(timeout=60):
            raise TimeoutError("the test never released the drawing")
        return chart.radar_png(radar)

    monkeypatch.setattr(results, "radar_png", slow_radar)
    drawing = asyncio.create_task(press(app, "amina", last))
    try:
        await asyncio.wait_for(slow_started.wait(), 30)
        help_text = texts(await asyncio.wait_for(say(app, "grace", "/help"), timeout=30))
        assert "What I can do for you" in help_text
        assert not drawing.done(), "the chart is still being drawn"
    finally:
        release.set()
    finished = await drawing
    assert any(a.mime_type == "image/png" for r in finished for a in r.attachments)


async def test_the_second_result_shows_the_change_since_last_time(
    app: BotApp, clock: ManualClock
) -> None:
    replies = await say(app, "amina", "/assess start")
    first = await answer_all(app, "amina", [1] * 12, replies)
    first_png = next(a for r in first for a in r.attachments).data
    replies = await say(app, "amina", "/assess start")
    assert "Question 1 of 12" in question(replies).body.plain()  # a new sitting
    second = await answer_all(app, "amina", [4] * 12, replies)
    said = texts(second)
    assert "The election journey: 80/100 · Strong (+60 since last time)" in said
    assert "Compared with" in said
    second_png = next(a for r in second for a in r.attachments).data
    assert second_png != first_png
    history = texts(await say(app, "amina", "/assess history"))
    assert history.count("The election journey:") == 2


async def test_stats_come_with_a_picture(app: BotApp, clock: ManualClock) -> None:
    await say(app, "amina", "/help")
    replies = await say(app, "sofia", "/stats 60", admin=True)
    [picture] = [a for r in replies for a in r.attachments]
    assert picture.filename == "stats.png" and _image(picture.data).size == (900, 400)
    assert "Champions per region" in texts(replies)  # the same figures, in words
