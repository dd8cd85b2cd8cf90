"""The loopback Discord refuses what the real Discord refuses, with Discord's answer.

One case per documented rule the OpenAPI schema cannot express (tests/fakes/discord_rules/):
each is sent over HTTP to the fake, which must answer 400 ``Invalid Form Body`` (or 50006 for
an empty message) and record the rule; the same request made valid is accepted, so every case
fails for its rule alone.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.fakes.discord import APP_ID, GUILD_ID, FakeDiscord
from tests.fakes.discord_rules import command_size, name_problem

COMMANDS = f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
CALLBACK = "/interactions/123/token-123/callback"
MESSAGES = "/channels/456/messages"
FOLLOWUP = f"/webhooks/{APP_ID}/token-123"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


async def send(fake: FakeDiscord, method: str, path: str, body: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, fake.api_base_url + path, json=body) as response,
    ):
        return response.status, await response.json()


def option(name: str = "theme", **fields: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "Theme", "required": False, **fields}


def command(name: str = "threads", **fields: Any) -> dict[str, Any]:
    return {"type": 1, "name": name, "description": "List questions", **fields}


def choices(count: int, value_length: int = 5, name_length: int = 5) -> list[dict[str, Any]]:
    return [
        {"name": f"{i:0{name_length}d}"[:name_length], "value": f"{i:0{value_length}d}"}
        for i in range(count)
    ]


def subcommand(name: str, *options: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "name": name, "description": "Do it", "options": list(options)}


def group(name: str, *subcommands: dict[str, Any]) -> dict[str, Any]:
    return {"type": 2, "name": name, "description": "Group", "options": list(subcommands)}


def modal(**data: Any) -> dict[str, Any]:
    text_input = {"type": 4, "custom_id": "question", "style": 2, "label": "Your question"}
    base = {
        "custom_id": "modal:1",
        "title": "Ask the champions for advice",
        "components": [{"type": 1, "components": [text_input]}],
    }
    return {"type": 9, "data": {**base, **data}}


def text_row(custom_id: str, **fields: Any) -> dict[str, Any]:
    text_input = {"type": 4, "custom_id": custom_id, "style": 1, "label": "Answer", **fields}
    return {"type": 1, "components": [text_input]}


def buttons(*custom_ids: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": 1,
        "components": [
            {"type": 2, "style": 2, "label": "Go", "custom_id": cid, **fields} for cid in custom_ids
        ],
    }


def with_option(*options: dict[str, Any]) -> list[dict[str, Any]]:
    return [command(options=list(options))]


Case = tuple[str, str, str, Any, Any]
"""(rule, method, path, a body breaking it, the same body keeping it)."""

CASES: list[Case] = [
    (
        "choices-with-autocomplete",
        "PUT",
        COMMANDS,
        with_option(option(choices=choices(3), autocomplete=True)),
        with_option(option(choices=choices(3))),
    ),
    ("name", "PUT", COMMANDS, [command("Threads")], [command("threads")]),
    ("name", "PUT", COMMANDS, with_option(option("the me")), with_option(option("the_me"))),
    (
        "name",
        "PUT",
        COMMANDS,
        [command(options=[group("Admin", subcommand("add"))])],
        [command(options=[group("admin", subcommand("add"))])],
    ),
    (
        "name",
        "PUT",
        COMMANDS,
        [command(options=[subcommand("show", option(name_localizations={"fr": "Thème"}))])],
        [command(options=[subcommand("show", option(name_localizations={"fr": "thème"}))])],
    ),
    ("description", "PUT", COMMANDS, [command(description="")], [command()]),
    (
        "description",
        "PUT",
        COMMANDS,
        [command(description_localizations={"fr": "x" * 101})],
        [command(description_localizations={"fr": "x" * 100})],
    ),
    (
        "locale",
        "PUT",
        COMMANDS,
        [command(description_localizations={"ar": "اسرد الأسئلة"})],
        [command(description_localizations={"fr": "Lister les questions"})],
    ),
    (
        "options-count",
        "PUT",
        COMMANDS,
        [command(options=[group("admin", *(subcommand(f"s{i}") for i in range(26)))])],
        [command(options=[group("admin", *(subcommand(f"s{i}") for i in range(25)))])],
    ),
    (
        "options-count",
        "PUT",
        COMMANDS,
        [command(options=[subcommand("show", *(option(f"o{i}") for i in range(26)))])],
        [command(options=[subcommand("show", *(option(f"o{i}") for i in range(25)))])],
    ),
    (
        "nesting",
        "PUT",
        COMMANDS,
        [command(options=[subcommand("show"), option()])],
        [command(options=[subcommand("show", option())])],
    ),
    (
        "nesting",
        "PUT",
        COMMANDS,
        [command(options=[group("admin", subcommand("add"), option())])],
        [command(options=[group("admin", subcommand("add", option()))])],
    ),
    (
        "unique-option-names",
        "PUT",
        COMMANDS,
        with_option(option("theme"), option("theme")),
        with_option(option("theme"), option("filter")),
    ),
    (
        "required-first",
        "PUT",
        COMMANDS,
        with_option(option("filter"), option("theme", required=True)),
        with_option(option("theme", required=True), option("filter")),
    ),
    (
        "choices",
        "PUT",
        COMMANDS,
        with_option(option(choices=choices(26))),
        with_option(option(choices=choices(25))),
    ),
    (
        "choices",
        "PUT",
        COMMANDS,
        with_option(option(choices=choices(2, value_length=101))),
        with_option(option(choices=choices(2, value_length=100))),
    ),
    (
        "choices",
        "PUT",
        COMMANDS,
        with_option(
            option(choices=[{"name": "A", "value": "a", "name_localizations": {"fr": ""}}])
        ),
        with_option(
            option(choices=[{"name": "A", "value": "a", "name_localizations": {"fr": "B"}}])
        ),
    ),
    (
        "autocomplete-type",
        "PUT",
        COMMANDS,
        with_option({**option(), "type": 5, "autocomplete": True}),
        with_option({**option(), "type": 5}),
    ),
    (
        "min-max-length",
        "PUT",
        COMMANDS,
        with_option(option(min_length=10, max_length=5)),
        with_option(option(min_length=5, max_length=10)),
    ),
    (
        "min-max-length",
        "PUT",
        COMMANDS,
        with_option({**option(), "type": 4, "max_length": 10}),
        with_option({**option(), "type": 4, "max_value": 10}),
    ),
    (
        "min-max-value",
        "PUT",
        COMMANDS,
        with_option({**option(), "type": 4, "min_value": 10, "max_value": 5}),
        with_option({**option(), "type": 4, "min_value": 5, "max_value": 10}),
    ),
    (
        "min-max-value",
        "PUT",
        COMMANDS,
        with_option(option(min_value=1)),
        with_option(option(min_length=1)),
    ),
    (
        "command-count",
        "PUT",
        COMMANDS,
        [command(f"c{i}") for i in range(101)],
        [command(f"c{i}") for i in range(100)],
    ),
    ("command-count", "PUT", COMMANDS, [command(), command()], [command(), command("thread")]),
    (
        "command-size",
        "PUT",
        COMMANDS,
        with_option(*(option(f"o{i}", choices=choices(25, 12, 12)) for i in range(25))),
        with_option(*(option(f"o{i}", choices=choices(25, 5, 5)) for i in range(25))),
    ),
    (
        "autocomplete-choices",
        "POST",
        CALLBACK,
        {"type": 8, "data": {"choices": choices(26)}},
        {"type": 8, "data": {"choices": choices(25)}},
    ),
    (
        "autocomplete-choices",
        "POST",
        CALLBACK,
        {"type": 8, "data": {"choices": choices(1, value_length=101)}},
        {"type": 8, "data": {"choices": choices(1, value_length=100)}},
    ),
    ("modal", "POST", CALLBACK, modal(title="x" * 46), modal(title="x" * 45)),
    (
        "modal",
        "POST",
        CALLBACK,
        modal(components=[text_row(f"t{i}") for i in range(6)]),
        modal(components=[text_row(f"t{i}") for i in range(5)]),
    ),
    (
        "text-input",
        "POST",
        CALLBACK,
        modal(components=[text_row("question", label="x" * 46)]),
        modal(components=[text_row("question", label="x" * 45)]),
    ),
    (
        "text-input",
        "POST",
        CALLBACK,
        modal(components=[text_row("question"), text_row("question")]),
        modal(components=[text_row("question"), text_row("answer")]),
    ),
    (
        "text-input",
        "POST",
        CALLBACK,
        modal(components=[text_row("question", min_length=20, max_length=10)]),
        modal(components=[text_row("question", min_length=10, max_length=20)]),
    ),
    (
        "text-input",
        "POST",
        CALLBACK,
        modal(components=[text_row("question", placeholder="x" * 101)]),
        modal(components=[text_row("question", placeholder="x" * 100)]),
    ),
    ("content", "POST", MESSAGES, {"content": "x" * 2001}, {"content": "x" * 2000}),
    (
        "content",
        "POST",
        CALLBACK,
        {"type": 4, "data": {"content": "x" * 2001}},
        {"type": 4, "data": {"content": "x" * 2000}},
    ),
    ("empty-message", "POST", MESSAGES, {"content": ""}, {"content": "hi"}),
    ("empty-message", "POST", FOLLOWUP, {"content": "", "flags": 64}, {"content": "hi"}),
    (
        "embeds",
        "POST",
        MESSAGES,
        {"embeds": [{"title": "x"}] * 11},
        {"embeds": [{"title": "x"}] * 10},
    ),
    (
        "embeds",
        "POST",
        MESSAGES,
        {"embeds": [{"description": "x" * 4000}, {"description": "x" * 2001}]},
        {"embeds": [{"description": "x" * 4000}, {"description": "x" * 2000}]},
    ),
    (
        "components",
        "POST",
        MESSAGES,
        {"content": "hi", "components": [buttons(f"b{i}") for i in range(6)]},
        {"content": "hi", "components": [buttons(f"b{i}") for i in range(5)]},
    ),
    (
        "components",
        "POST",
        MESSAGES,
        {"content": "hi", "components": [buttons("rsvp 1"), buttons("rsvp 1")]},
        {"content": "hi", "components": [buttons("rsvp 1"), buttons("rsvp 2")]},
    ),
    (
        "components",
        "POST",
        MESSAGES,
        {"content": "hi", "components": [buttons("go", label="x" * 81)]},
        {"content": "hi", "components": [buttons("go", label="x" * 80)]},
    ),
    (
        "components",
        "POST",
        MESSAGES,
        {"content": "hi", "components": [buttons("go", style=5, url="https://example.org")]},
        {
            "content": "hi",
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "style": 5, "label": "Go", "url": "https://example.org"}
                    ],
                }
            ],
        },
    ),
]


def _case_id(case: Case) -> str:
    return f"{case[0]}:{case[1]}{case[2].split('/')[1]}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
async def test_the_fake_refuses_each_documented_rule(fake: FakeDiscord, case: Case) -> None:
    rule, method, path, breaking, keeping = case
    status, answer = await send(fake, method, path, copy.deepcopy(breaking))
    assert status == 400, f"{rule}: accepted {breaking}"
    if rule == "empty-message":
        assert answer == {"code": 50006, "message": "Cannot send an empty message"}
    else:
        assert answer["code"] == 50035 and answer["message"] == "Invalid Form Body"
        assert any(f"[{rule}]" in v for v in fake.violations), fake.violations
    fake.violations.clear()
    status, answer = await send(fake, method, path, copy.deepcopy(keeping))
    assert fake.violations == [], f"{rule}: the valid twin was refused: {fake.violations}"
    assert status != 400, answer


def test_every_rule_of_the_docstring_has_a_case() -> None:
    """Each module of the rules lists the rules it checks in its docstring."""
    from tests.fakes import discord_rules

    modules = [
        importlib.import_module(f"{discord_rules.__name__}.{module.name}")
        for module in pkgutil.iter_modules(discord_rules.__path__)
    ]
    documented = {
        line.split("``")[1]
        for module in modules
        for line in (module.__doc__ or "").splitlines()
        if line.startswith("- ``")
    }
    assert documented == {case[0] for case in CASES}


async def test_errors_are_nested_along_the_path_as_discord_sends_them(fake: FakeDiscord) -> None:
    """The issue's case: /threads theme with choices and autocomplete, as one command of many."""
    theme = option(choices=choices(3), autocomplete=True)
    body = [command("help"), command(options=[option("filter"), theme])]
    status, answer = await send(fake, "PUT", COMMANDS, body)
    assert status == 400
    assert answer == {
        "code": 50035,
        "errors": {
            "1": {
                "options": {
                    "1": {
                        "autocomplete": {
                            "_errors": [
                                {
                                    "code": "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
                                    "message": "autocomplete may not be set to true if choices "
                                    "are present",
                                }
                            ]
                        }
                    }
                }
            }
        },
        "message": "Invalid Form Body",
    }
    assert fake.command_puts == []  # nothing was registered


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("advice_notices", True),
        ("search-advice", True),
        ("l'agenda", True),
        ("thème", True),
        ("مساعدة", True),  # uncased letters are fine
        ("सहायता", True),  # Devanagari, combining vowel signs included
        ("ช่วยเหลือ", True),  # Thai, tone marks included
        ("Help", False),
        ("THÈME", False),
        ("İstanbul", False),
        ("two words", False),
        ("what?", False),
        ("", False),
        ("x" * 33, False),
    ],
)
def test_the_name_pattern(name: str, valid: bool) -> None:
    assert (name_problem(name) is None) is valid


def test_only_the_longest_localization_counts_towards_the_size() -> None:
    long_french = command(
        description="x" * 10, description_localizations={"fr": "y" * 60, "es-ES": "z" * 30}
    )
    assert command_size(long_french) == len("threads") + 60
