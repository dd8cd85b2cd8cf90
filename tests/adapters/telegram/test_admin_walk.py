"""The admin walk through the real python-telegram-bot and the loopback Bot API.

Every admin command of the registry, typed as Telegram users type it (``/story approve 1``,
``/story@bot approve 1`` in a group),
by a member who reads Arabic and by a champion who reads English, in a group and in their
private chat: each gets exactly one message, the refusal in their language, in their private
chat (refusals are ephemeral, a group never sees them), and no row of the database changes.
Buttons carrying an admin action are refused the same way. The "/" menus offer the admin
commands in the admins' scopes only.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from adapters.telegram import TelegramAdapter
from adapters.telegram.render import RLM
from bot.app import BotApp
from bot.core.registry import Audience
from storage.statuses import ChatPurpose, MembershipRole
from tests.adapters.telegram.conftest import AMINA, FAST, GROUP, KARIM, SOFIA, private_chat
from tests.admin_walk import admin_commands, command_line, refusal, seed, snapshot
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram, Sent

WALKERS: tuple[tuple[dict[str, Any], str], ...] = ((KARIM, "ar"), (AMINA, "en"))
"""Karim is a member whose Telegram speaks Arabic; Amina is an approved champion."""


def read(sent: list[Sent]) -> list[str]:
    return [s.text.replace(RLM, "") for s in sent]


async def _wait_for_messages(fake: FakeTelegram, user_id: int, count: int) -> list[str]:
    """What ``user_id`` was sent, once ``count`` messages arrived (or 90 s passed: the
    caller's comparison then shows what was missing; a loaded CI box took over 10 s for
    the walk's hundreds of refusals)."""
    with contextlib.suppress(TimeoutError):
        await fake.wait_for(lambda: len(fake.sent_to(user_id)) >= count, within=90)
    return read(fake.sent_to(user_id))


async def _make_amina_a_champion(app: BotApp, fake: FakeTelegram) -> None:
    """Sofia (a Telegram admin) approves Amina, through Telegram like any admin would."""
    await fake.push(fake.message(private_chat(AMINA), AMINA, "/profile set country Tunisia"))
    await _wait_for_messages(fake, AMINA["id"], 1)  # two people: no order between them
    await fake.push(fake.message(private_chat(SOFIA), SOFIA, "/champion approve Amina"))
    await _wait_for_messages(fake, SOFIA["id"], 1)  # answered once the approval is stored
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        champions = await uow.communities.members_with_role(community, MembershipRole.CHAMPION)
        assert "Amina" in [member.display_name for member in champions]


async def test_telegram_refuses_every_admin_command_to_non_admins(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    app = telegram.app
    await seed(app)
    await _make_amina_a_champion(app, fake)
    specs = admin_commands(app.registry)
    before = await snapshot(app)
    already = {person["id"]: len(fake.sent_to(person["id"])) for person, _ in WALKERS}
    group_before = len(fake.sent_to(GROUP["id"]))
    expected: dict[int, list[str]] = {person["id"]: [] for person, _ in WALKERS}
    for spec in specs:
        line = command_line(app.registry, spec)
        word, _, rest = line.partition(" ")
        addressed = f"{word}@{BOT_USERNAME} {rest}".rstrip()  # as Telegram completes it in groups
        for person, language in WALKERS:
            for chat, typed in ((GROUP, addressed), (private_chat(person), line)):
                await fake.push(fake.message(chat, person, typed))
                expected[person["id"]].append(refusal(language, spec))
    for person, _language in WALKERS:
        user_id = person["id"]
        total = already[user_id] + len(expected[user_id])
        said = (await _wait_for_messages(fake, user_id, total))[already[user_id] :]
        assert said == expected[user_id]
    assert len(fake.sent_to(GROUP["id"])) == group_before  # the group saw none of it
    assert await snapshot(app) == before
    assert refusal("ar", specs[0]) != refusal("en", specs[0])  # Karim really read Arabic


async def test_telegram_refuses_admin_buttons_to_non_admins(
    fake: FakeTelegram, telegram: TelegramAdapter
) -> None:
    """A button is a command line too (``story approve 1``): a forwarded or old admin
    message's buttons pressed by a member are refused in an alert, and change nothing."""
    app = telegram.app
    await seed(app)
    await fake.push(fake.message(private_chat(KARIM), KARIM, "/help"))
    [shown] = await fake.wait_sent(1)
    specs = [s for s in admin_commands(app.registry) if len(command_line(app.registry, s)) <= 64]
    assert len(specs) >= 20
    before = await snapshot(app)
    for spec in specs:
        action = command_line(app.registry, spec)[1:]
        await fake.push(fake.callback(KARIM, shown, action, chat=private_chat(KARIM)))
    await fake.wait_for(lambda: len(fake.answered_callbacks) >= len(specs))
    alerts = [c.get("text", "").replace(RLM, "") for c in fake.answered_callbacks]
    assert alerts == [refusal("ar", spec) for spec in specs]
    assert len(fake.sent) == 1  # only the help: every refusal was an alert
    assert await snapshot(app) == before


async def test_admin_commands_are_only_in_the_admins_menus(
    fake: FakeTelegram, bot_app: BotApp
) -> None:
    async with bot_app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        await uow.communities.link_chat(
            community, platform="telegram", chat_id=str(GROUP["id"]), purpose=ChatPurpose.GENERAL
        )
    adapter = TelegramAdapter(bot_app, bot_app.settings, fake.token, tuning=FAST)
    await adapter.start()
    try:
        registry = bot_app.registry
        admin_words = {spec.path[0] for spec in admin_commands(registry)}
        shared = {spec.path[0] for spec in registry.visible_to(Audience.CHAMPION)}
        admin_only = admin_words - shared  # /story and /thread also serve members
        assert {"announce", "audit", "champion", "export", "stats", "webinar"} <= admin_only
        default = json.dumps({"type": "default"})
        own = json.dumps({"chat_id": SOFIA["id"], "type": "chat"}, sort_keys=True)
        in_group = json.dumps(
            {"chat_id": GROUP["id"], "type": "chat_member", "user_id": SOFIA["id"]},
            sort_keys=True,
        )
        for language in ("", "fr", "es", "ar"):
            members_menu = {c["command"] for c in fake.commands[(default, language)]}
            assert members_menu & admin_only == set(), language
            assert members_menu == shared
            for scope in (own, in_group):
                admins_menu = {c["command"] for c in fake.commands[(scope, language)]}
                assert admin_words <= admins_menu, (scope, language)
        # nobody else got a scope of their own: Karim and Amina only ever see the default menu
        scoped = {json.loads(scope).get("user_id") or json.loads(scope).get("chat_id")
                  for scope, _language in fake.commands if scope != default}  # fmt: skip
        assert scoped == {SOFIA["id"]}
    finally:
        await adapter.stop()
