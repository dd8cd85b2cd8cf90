"""Slash commands, buttons, modals and autocomplete, end to end with the real discord.py."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from adapters.discord.command_plan import plan
from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.i18n import N_
from bot.core.messages import Attachment, Destination, Reply
from bot.core.registry import Where
from bot.core.richtext import line
from bot.core.vocab import THEMES
from storage.models import AuditEntry, Member
from tests.adapters.discord.conftest import Starter, answers, ephemeral, text_of
from tests.adapters.discord.hostile import HOSTILE, as_read, pings
from tests.adapters.discord.test_commands_declared import add_admin_command
from tests.fakes.discord import FakeDiscord

SAMPLES: dict[ArgKind, Any] = {
    ArgKind.WORD: "word",
    ArgKind.TEXT: "Some words",
    ArgKind.INTEGER: 1,
    ArgKind.DATETIME: "2027-01-15 14:00",
    ArgKind.DURATION: "1h",
    ArgKind.DURATIONS: "24h,1h",
    ArgKind.TIMEZONE: "Africa/Tunis",
    ArgKind.LANGUAGE: "fr",
    ArgKind.MEMBER: "Sofia",
    ArgKind.RESOURCE: "1",
}
BROKEN = ("I don't know the command", "something went wrong")


def sample(arg: ArgSpec) -> Any:
    if arg.choices:
        return arg.choices[0].value
    return SAMPLES.get(arg.kind, "x")


QUIET = 0.01
"""The walk's settle: an interaction's answers are all sent by its handler task, which
``settle`` sees running, and ``run_interaction`` returns once that task has answered; the quiet
period only covers other sends (the outbox). 0.05 s made 123 commands wait 6 s."""


async def test_every_core_command_works_as_a_slash_command(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    admin = fake.add_user("Sofia")
    running = await start_bot(admins=(admin,))
    leaves = plan(running.app.registry)
    assert len(leaves) >= 7
    for slash in leaves:
        options = {arg.name: sample(arg) for arg in slash.options if arg.required}
        interaction = fake.interaction(
            admin,
            2,
            fake.command_data(*slash.path, options=options),
            dm=slash.spec.where is Where.PRIVATE,
        )
        await fake.run_interaction(interaction)
        await fake.settle(quiet=QUIET)
        if slash.long_args:  # long text is asked in a modal: fill it in and submit it
            [callback] = interaction.callbacks
            assert callback["type"] == 9, f"/{slash.name} asked no modal"
            interaction = fake.interaction(admin, 5, _filled(callback["data"], slash))
            await fake.run_interaction(interaction)
            await fake.settle(quiet=QUIET)
        said = text_of(interaction)
        assert said.strip(), f"/{slash.name} got no answer"
        assert not any(bad in said for bad in BROKEN), f"/{slash.name}: {said[:200]}"


def _filled(modal: dict[str, Any], slash: Any) -> dict[str, Any]:
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": arg.name, "value": sample(arg)}]}
        for arg in slash.long_args
    ]
    return {"custom_id": modal["custom_id"], "components": rows}


async def test_a_member_is_refused_an_admin_command_even_if_discord_shows_it(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    admin, member = fake.add_user("Sofia"), fake.add_user("Amina")
    running = await start_bot(registry_hook=add_admin_command, admins=(admin,))
    refused = await fake.run_interaction(fake.interaction(member, 2, fake.command_data("secret")))
    [body] = answers(refused)
    assert ephemeral(body)
    assert "/secret is for the network's admins" in body["content"]
    allowed = await fake.run_interaction(fake.interaction(admin, 2, fake.command_data("secret")))
    assert "Secret done." in text_of(allowed)
    async with running.app.database.unit_of_work() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(AuditEntry))
    assert count == 1


def _with_buttons(fake: FakeDiscord) -> dict[str, Any]:
    sent = next(s for s in reversed(fake.sent) if s.body.get("components"))
    return fake.messages[sent.message_id]


def _custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message["components"] for c in row["components"]]


async def _press(fake: FakeDiscord, user_id: str, message: dict[str, Any], custom_id: str) -> Any:
    data = {"custom_id": custom_id, "component_type": 2}
    pressed = fake.interaction(user_id, 3, data, dm=True, message=message)
    return await fake.run_interaction(pressed)


async def test_buttons_answer_questions_and_still_work_after_a_restart(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    first = await start_bot()
    await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("start"), dm=True))
    await fake.settle(quiet=0.05)
    name_question = _with_buttons(fake)
    assert _custom_ids(name_question) == ["=skip"]
    skipped = await _press(fake, amina, name_question, "=skip")
    await fake.settle(quiet=0.05)
    assert "What is your role?" in text_of(skipped)
    role_question = _with_buttons(fake)
    assert "=elected" in _custom_ids(role_question)

    await first.stop()
    second = await start_bot()  # no view is re-registered by hand: dynamic items match ids
    pressed = await _press(fake, amina, role_question, "=elected")
    await fake.settle(quiet=0.05)
    assert "Which organisation do you work for?" in text_of(pressed)
    async with second.app.database.unit_of_work() as uow:
        member = await uow.session.scalar(select(Member))
    assert member is not None and member.role == "elected"


def add_long_command(app: BotApp) -> None:
    async def ask(ctx: Any, theme: str, question: str) -> Reply:
        return ctx.reply(line("Asked about ", theme, ": ", question))

    app.registry.command(
        "askdemo",
        description=N_("List what I can do for you"),
        args=[
            ArgSpec("theme", ArgKind.CHOICE, N_("Field to change"), choices=THEMES[:3]),
            ArgSpec("question", ArgKind.TEXT, N_("New value"), long=True, max_length=3000),
        ],
    )(ask)


async def test_long_arguments_are_asked_in_a_modal(fake: FakeDiscord, start_bot: Starter) -> None:
    amina = fake.add_user("Amina")
    await start_bot(registry_hook=add_long_command)
    ask = _by_name(fake.command_puts[0], "askdemo")
    assert [o["name"] for o in ask["options"]] == ["theme"]  # the long one is not an option
    opened = await fake.run_interaction(
        fake.interaction(amina, 2, fake.command_data("askdemo", options={"theme": "legal_quotas"}))
    )
    [callback] = opened.callbacks
    assert callback["type"] == 9
    modal = callback["data"]
    field = modal["components"][0]["components"][0]
    assert field["custom_id"] == "question" and field["style"] == 2
    submitted = fake.interaction(
        amina,
        5,
        {
            "custom_id": modal["custom_id"],
            "components": [
                {"type": 1, "components": [{"type": 4, "custom_id": "question", "value": HOSTILE}]}
            ],
        },
    )
    await fake.run_interaction(submitted)
    [body] = answers(submitted)
    assert as_read(body["content"]) == f"Asked about legal_quotas: {HOSTILE}"
    assert not pings(body["content"]) and body["allowed_mentions"] == {"parse": []}


def _by_name(commands: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(c for c in commands if c["name"] == name)


async def test_autocomplete_suggests_time_zones(fake: FakeDiscord, start_bot: Starter) -> None:
    amina = fake.add_user("Amina")
    await start_bot()
    data = fake.command_data("timezone", options={"zone": "tun"}, focused="zone")
    asked = await fake.run_interaction(fake.interaction(amina, 4, data))
    [callback] = asked.callbacks
    assert callback["type"] == 8
    choices = callback["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert {"name": "Africa/Tunis (UTC+01:00)", "value": "Africa/Tunis"} in choices
    empty = fake.command_data("timezone", options={"zone": ""}, focused="zone")
    listed = await fake.run_interaction(fake.interaction(amina, 4, empty))
    assert len(listed.callbacks[0]["data"]["choices"]) == 25


async def test_hostile_profile_text_is_shown_safely_and_as_typed(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    await start_bot()
    saved = await fake.run_interaction(
        fake.interaction(
            amina,
            2,
            fake.command_data("profile", "set", options={"field": "bio", "value": HOSTILE}),
        )
    )
    assert ephemeral(answers(saved)[0])
    shown = await fake.run_interaction(
        fake.interaction(amina, 2, fake.command_data("profile", "show"))
    )
    [body] = answers(shown)
    assert body["allowed_mentions"] == {"parse": []}
    assert not pings(body["content"])
    assert HOSTILE in as_read(body["content"])


async def test_a_slow_command_is_deferred_then_answered(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")

    def add_slow(app: BotApp) -> None:
        async def slow(ctx: Any, **_: Any) -> Reply:
            await asyncio.sleep(0.3)
            return ctx.reply("Finally here.")

        app.registry.command("slow", description=N_("List what I can do for you"))(slow)

    await start_bot(registry_hook=add_slow, defer_after=0.05)
    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("slow")))
    await fake.settle(quiet=0.5)
    assert asked.callbacks[0]["type"] == 5  # deferred: "the bot is thinking"
    posted = [s for s in fake.sent if s.kind == "message" and s.channel_id == fake.general]
    assert [s.content for s in posted] == ["Finally here."]
    assert (
        "DELETE",
        f"/webhooks/{asked.payload['application_id']}/{asked.token}/messages/@original",
        None,
    ) in fake.requests


async def test_slow_private_answers_replace_the_thinking_message_and_files_attach(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    amina = fake.add_user("Amina")
    ics = Attachment("webinar.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")

    def add_commands(app: BotApp) -> None:
        async def slow_secret(ctx: Any, **_: Any) -> Reply:
            await asyncio.sleep(0.3)
            return ctx.reply("Only you see this.", destination=Destination.EPHEMERAL)

        async def calendar(ctx: Any, **_: Any) -> Reply:
            return ctx.reply("Add it to your calendar.", attachments=(ics,))

        app.registry.command("slowsecret", description=N_("List what I can do for you"))(
            slow_secret
        )
        app.registry.command("slowfile", description=N_("List what I can do for you"))(calendar)

    await start_bot(registry_hook=add_commands, defer_after=0.05)
    slow = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("slowsecret")))
    await fake.settle(quiet=0.5)
    assert slow.callbacks[0]["type"] == 5 and ephemeral(slow.callbacks[0]["data"])
    assert [edit["content"] for edit in slow.edits] == ["Only you see this."]

    asked = await fake.run_interaction(fake.interaction(amina, 2, fake.command_data("slowfile")))
    await fake.settle(quiet=0.3)
    # the answer itself, or (on a loaded machine, past defer_after) the edit replacing "thinking"
    [response] = [s for s in fake.sent if s.kind in ("response", "edit") and s.files]
    assert response.files == [("webinar.ics", ics.data)]
    assert "Add it to your calendar." in text_of(asked)
