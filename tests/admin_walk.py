"""Shared parts of the admin walks: every admin command, tried by non-admins on each adapter.

The walks (``tests/test_admin_walk.py``, ``tests/telegram/test_admin_walk.py``,
``tests/discord/test_admin_walk.py``) read the registry, so a command added later is walked too.
Before walking, :func:`seed` gives every admin command something real to act on (a pending
story, a webinar, a question, a champion, an announcement): a command that slipped through
would then change rows, and :func:`snapshot` would show it.

``tests/features/admin/test_other_community_walk.py`` walks the same registry as the admin of
the *other* community (with :func:`command_line`'s ``values`` naming that community's objects).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec, parse_text_arguments, split_words
from bot.core.i18n import Translator
from bot.core.registry import Audience, CommandSpec, Registry
from storage.models import Base
from tests.helpers import say, texts

REFUSAL = "/{command} is for the network's admins. If you need it, ask the secretariat."
"""The core's refusal (``bot/core/command_dispatch.py``); translated with :func:`refusal`."""

SAMPLES: dict[ArgKind, str] = {
    ArgKind.WORD: "word",
    ArgKind.TEXT: "Some words for everyone",
    ArgKind.INTEGER: "1",
    ArgKind.DATETIME: "2026-12-03 10:00",
    ArgKind.DURATION: "1h",
    ArgKind.DURATIONS: "24h,1h",
    ArgKind.TIMEZONE: "Africa/Tunis",
    ArgKind.LANGUAGE: "fr",
    ArgKind.MEMBER: "Moana",
    ArgKind.RESOURCE: "1",
}
BY_NAME: dict[str, str] = {
    "question": "Q1",
    "member": "Moana",
    "url": "https://example.org/recording",
    "fields": 'title:"Budget guide" url:https://example.org/guide',
    "themes": "gbv",
    "at": "09:00",
}
"""Plausible values for arguments whose kind says too little (``WORD``, ``TEXT``)."""


def admin_commands(registry: Registry) -> list[CommandSpec]:
    """Every command only admins may run."""
    specs = [spec for spec in registry.all() if spec.audience is Audience.ADMIN]
    assert len(specs) >= 20, [spec.name for spec in specs]  # the walk must not walk nothing
    return specs


def sample(arg: ArgSpec) -> str:
    """A value an admin could really type for ``arg``."""
    if arg.choices:
        return arg.choices[0].value
    return BY_NAME.get(arg.name) or SAMPLES.get(arg.kind, "x")


def command_line(
    registry: Registry, spec: CommandSpec, values: Mapping[str, str] | None = None
) -> str:
    """``/word sub arguments...`` as a person types it, with every argument filled in
    (``values`` by argument name, else a plausible sample).

    Checked here: the line names exactly ``spec`` and its arguments parse, so the walk is
    refused for who is asking, never for a typo.
    """
    words: list[str] = []
    for index, arg in enumerate(spec.args):
        value = (values or {}).get(arg.name) or sample(arg)
        bare = arg.kind is ArgKind.DATETIME or (
            arg.kind in (ArgKind.TEXT, ArgKind.MEMBER) and index == len(spec.args) - 1
        )  # a date and time takes two words; a last text or name takes the rest of the line
        words.append(f'"{value}"' if " " in value and not bare else value)
    rest = " ".join(words)
    line = f"/{spec.name} {rest}".rstrip()
    found, _used = registry.resolve(split_words(line[1:]))
    assert found is not None and found.path == spec.path, line
    parse_text_arguments(spec.args, rest)  # raises UsageError on an implausible line
    return line


def refusal(language: str, spec: CommandSpec) -> str:
    """What a non-admin reads, in their language."""
    return Translator(language).gettext(REFUSAL, command=spec.name)


async def seed(app: BotApp) -> None:
    """Things for admin commands to act on, made through the core by a console admin."""
    admin = "secretary"
    steps = [
        ("moana", "/profile set country Cook Islands"),
        (admin, "/champion approve Moana"),
        ("moana", "/story Women-led cyclone recovery plan"),
        (admin, '/webinar add "Gender budgeting" 2026-12-03 10:00 Europe/Madrid 90m'),
        ("grace", "/ask How do councils stop online abuse of candidates? #gbv"),
        (admin, "/announce chats The toolkit training opens Monday"),
    ]
    for name, line in steps:
        said = texts(await say(app, name, line, admin=name == admin))
        assert "Usage" not in said and "something went wrong" not in said, (line, said)


async def snapshot(app: BotApp, *, every_table: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that nothing at all changed; but the log of processed
    updates unless ``every_table``: a refused update is recorded too, so that a redelivery of
    it is not answered twice."""

    await app.warmed()  # the indexes' own background work (the hub's save, a cache)
    rows: dict[str, list[tuple[Any, ...]]] = {}
    async with app.database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_updates" and not every_table:
                continue
            result = await connection.execute(select(table))
            rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    return rows
