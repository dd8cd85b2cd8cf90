"""The guided chat through the router: one question at a time, back, skip, resume, results."""

from __future__ import annotations

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.features.assessment.helpers import action, answer_all, press, question
from tests.helpers import say, texts


async def test_a_member_answers_stops_and_resumes_where_she_stopped(
    app: BotApp, clock: ManualClock
) -> None:
    replies = await say(app, "amina", "/assess start")
    first = question(replies)
    assert "Question 1 of 12, about 3 min left" in first.body.plain()
    assert len(first.buttons) == 3 and len(first.buttons[0]) == 3
    replies = await answer_all(app, "amina", [1, 2, 3], replies)
    assert "Question 4 of 12" in question(replies).body.plain()
    replies = await press(app, "amina", action(question(replies), "back"))
    shown = question(replies).body.plain()
    assert "Question 3 of 12" in shown and "Your answer so far: 3 · Practising" not in shown
    assert "Your answer so far: Practising" in shown
    replies = await press(app, "amina", action(question(replies), "skip"))
    assert "Question 4 of 12" in question(replies).body.plain()
    # a pause: she comes back later with the same command
    resumed = await say(app, "amina", "/assess start")
    assert "You have answered 2 of 12 questions" in texts(resumed)
    assert "Question 4 of 12" in question(resumed).body.plain()
    replies = await answer_all(app, "amina", [0, 1, 2, 4, 5, 3, 2, 1, 4], resumed)
    said = texts(replies)
    assert "that was the last question" in said
    assert "Your results" in said and "The election journey:" in said
    [chart] = [a for r in replies for a in r.attachments]
    assert chart.mime_type == "image/png" and chart.data.startswith(b"\x89PNG")
    assert "What may help where you are weakest" in said
    assert "Count me in the figures" in [b.label for r in replies for row in r.buttons for b in row]
