"""The self-assessment on Discord, through the real discord.py and the loopback Discord: a slash
command in DMs, one question per message with buttons, a restart halfway, the picture at the end."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.adapters.discord.conftest import Starter, text_of
from tests.fakes.discord import FakeDiscord
from tests.features.assessment.helpers import BUDGETING, champion_with_a_mentor, mentor_requests


def _question(fake: FakeDiscord) -> dict[str, Any]:
    sent = next(
        s
        for s in reversed(fake.sent)
        if any(
            c["custom_id"].startswith("asq ")
            for row in s.body.get("components") or []
            for c in row["components"]
        )
    )
    return fake.messages[sent.message_id]


def _custom_id(message: dict[str, Any], choice: str) -> str:
    return next(
        c["custom_id"]
        for row in message["components"]
        for c in row["components"]
        if c["custom_id"].endswith(" " + choice)
    )


def shown(fake: FakeDiscord, interaction: Any, words: str) -> bool:
    """``words`` answered the interaction, or (deferred) were posted in a DM."""
    return words in text_of(interaction) or any(
        words in s.content for s in fake.sent if s.kind == "message"
    )


async def _press(fake: FakeDiscord, user: str, message: dict[str, Any], choice: str) -> Any:
    data = {"custom_id": _custom_id(message, choice), "component_type": 2}
    pressed = await fake.run_interaction(fake.interaction(user, 3, data, dm=True, message=message))
    await fake.settle(quiet=0.05)
    return pressed


async def test_an_assessment_on_discord_survives_a_restart_halfway(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    grace = fake.add_user("Grace")
    first = await start_bot()
    started = await fake.run_interaction(
        fake.interaction(grace, 2, fake.command_data("assess", "start"), dm=True)
    )
    await fake.settle(quiet=0.05)
    assert "Question 1 of 12, about 3 min left" in text_of(started)
    question = _question(fake)
    labels = [c["label"] for c in question["components"][0]["components"]]
    assert labels == ["0 · Not yet", "1 · First steps", "2 · Learning"]
    for level in ("2", "2", "1", "3", "0", "1"):
        pressed = await _press(fake, grace, _question(fake), level)
    assert "Question 7 of 12" in text_of(pressed)
    before_restart = _question(fake)
    await first.stop()

    await start_bot()  # the bot restarts
    resumed = await fake.run_interaction(
        fake.interaction(grace, 2, fake.command_data("assess", "start"), dm=True)
    )
    await fake.settle(quiet=0.05)
    said = text_of(resumed)
    assert "You have answered 6 of 12 questions" in said and "Question 7 of 12" in said
    pressed = await _press(fake, grace, before_restart, "5")  # an old button still works
    assert "Question 8 of 12" in text_of(pressed)
    for level in ("4", "4", "na", "2", "3"):
        pressed = await _press(fake, grace, _question(fake), level)
    # drawing the chart may outlast the defer delay on a loaded machine: the interaction is
    # then answered "thinking" and the results are posted in the DM
    await fake.wait_for(lambda: shown(fake, pressed, "Your results"))
    [picture] = [f for s in fake.sent for f in s.files if f[0].endswith(".png")]
    image = Image.open(io.BytesIO(picture[1]))
    assert image.format == "PNG" and image.size == (700, 700)


async def test_the_mentor_button_of_the_advice_files_a_request_on_discord(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    """A weak criterion with a fitting mentor: the advice names her and its button (custom id
    ``mentor request <theme>``) files the request through the real discord.py."""
    amina = fake.add_user("Amina")
    running = await start_bot()
    await champion_with_a_mentor(running.app, "discord", amina, "Amina")
    await fake.run_interaction(
        fake.interaction(amina, 2, fake.command_data("assess", "start"), dm=True)
    )
    await fake.settle(quiet=0.05)
    levels = ["4"] * 12
    levels[BUDGETING] = "1"
    for level in levels:
        await _press(fake, amina, _question(fake), level)
    await fake.wait_for(lambda: any("A mentor who offered help" in s.content for s in fake.sent))
    sent = next(s for s in fake.sent if "A mentor who offered help" in s.content)
    advice = fake.messages[sent.message_id]
    assert "Hana" in advice["content"]
    [[button]] = [row["components"] for row in advice["components"]]
    assert button["custom_id"] == "mentor request gender_budgeting"
    assert button["label"] == "Ask for a mentor: Gender-responsive budgeting"
    pressed = await _press(fake, amina, advice, "gender_budgeting")
    await fake.wait_for(lambda: shown(fake, pressed, "Your request is noted"))
    assert await mentor_requests(running.app) == [
        ("Gender-responsive budgeting", ["gender_budgeting"])
    ]
