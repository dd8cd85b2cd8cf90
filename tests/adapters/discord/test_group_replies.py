"""Replies in groups on the real discord.py: a personal answer is shown to the caller alone, in
place (ephemeral), so the channel reads nothing; a private one goes to the DMs with an
ephemeral pointer (``bot/core/personal.py``)."""

from __future__ import annotations

from bot.core.personal import POINTER_TEXT
from tests.adapters.discord.conftest import Starter, answers, ephemeral
from tests.fakes.discord import FakeDiscord


def dms(fake: FakeDiscord) -> list[str]:
    return [s.channel_id for s in fake.sent if fake.channels.get(s.channel_id, {}).get("type") == 1]


async def test_help_in_a_channel_is_shown_to_the_caller_alone_without_a_pointer(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    await start_bot()
    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("help")))
    await fake.settle(quiet=0.1)
    [body] = answers(asked)
    assert ephemeral(body) and "What I can do for you" in body["content"]
    assert not any(s.kind == "message" for s in fake.sent)  # nothing posted in the channel
    assert dms(fake) == []


async def test_a_private_file_asked_in_a_channel_goes_to_the_dms_with_a_pointer(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    await start_bot()
    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("mydata")))
    await fake.settle(quiet=0.1)
    [body] = answers(asked)
    assert ephemeral(body) and body["content"] == POINTER_TEXT.format(name="Amina")
    [sent] = [s for s in fake.sent if s.files]
    assert sent.channel_id in dms(fake) and sent.files[0][0].endswith(".json")


async def test_with_closed_dms_the_file_is_shown_in_place_and_no_pointer_misleads(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    fake.closed_dms.add(amina)
    await start_bot()
    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("mydata")))
    await fake.settle(quiet=0.1)
    bodies = answers(asked)
    assert all(ephemeral(b) for b in bodies)
    assert "Here is everything I store about you." in "\n".join(b["content"] for b in bodies)
    assert all("privately" not in b["content"] for b in bodies)
