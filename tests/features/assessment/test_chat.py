"""The guided chat through the router: one question at a time, back, skip, resume, results."""

from __future__ import annotations

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.features.assessment.helpers import action, answer_all, press, question
from tests.helpers import ROOM, say, texts


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


async def test_typed_levels_answer_in_a_private_chat_only(app: BotApp, clock: ManualClock) -> None:
    await say(app, "amina", "/assess start")
    assert "Question 2 of 12" in texts(await say(app, "amina", "3"))
    assert "Question 3 of 12" in texts(await say(app, "amina", "NA"))
    assert "Your answer so far: Not applicable" in texts(await say(app, "amina", "back"))
    assert "I answer commands" in texts(await say(app, "amina", "7"))  # not a level
    assert texts(await say(app, "amina", "3", place=ROOM)) == ""  # a group's chatter is not
    resumed = texts(await say(app, "amina", "/assess start"))
    assert "You have answered 2 of 12 questions" in resumed and "Question 2 of 12" in resumed


async def test_several_members_answer_for_one_institution_and_results_combine(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    usage = texts(await say(app, "rania", "/assess start institutional"))
    assert "Name the municipality or association you answer for" in usage
    replies = await say(app, "rania", "/assess start institutional Irbid  Municipality")
    assert "For: Irbid Municipality" in question(replies).body.plain()
    assert "Does your institution" in question(replies).body.plain()
    said = texts(await answer_all(app, "rania", [1] * 12, replies))
    assert "The election journey: 20/100 · Needs attention" in said
    replies = await say(app, "amina", "/assess start institutional irbid municipality")
    said = texts(await answer_all(app, "amina", [3] * 12, replies))
    assert "irbid municipality: the answers of 2 members combined." in said
    assert "The election journey: 40/100 · On the way" in said  # (1 + 3) / 2 * 20
    assert "Count me in the figures" not in said  # institutional results feed no aggregate


async def test_bad_presses_change_nothing(app: BotApp, clock: ManualClock) -> None:
    replies = await say(app, "amina", "/assess start")
    own = action(question(replies), "3")
    number = own.split()[1]
    assert "I found no assessment" in texts(await press(app, "grace", own))  # not hers
    assert "Choose a level from 0 to 5" in texts(await press(app, "amina", f"asq {number} 0 9"))
    assert "I found no assessment" in texts(await press(app, "amina", f"asq {number} 99 3"))
    resumed = texts(await say(app, "amina", "/assess start"))
    assert "You have answered 0 of 12 questions" in resumed
