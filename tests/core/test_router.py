"""The router end to end on a real SQLite file: commands, errors, idempotency, authorization."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.context import CommandContext
from bot.core.i18n import N_
from bot.core.messages import Destination, Reply
from bot.core.registry import Audience
from bot.core.topics import Topic
from storage.models import Account, Member, ProcessedUpdate
from tests.helpers import ROOM, say, texts


async def count(app: BotApp, model: type) -> int:
    async with app.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_start_greets_and_help_lists_commands(app: BotApp) -> None:
    greeting = texts(await say(app, "amina", "/start"))
    assert "Welcome to Champions Bot, Amina!" in greeting
    assert "What name should the network see?" in greeting
    help_text = texts(await say(app, "amina", "/help"))
    assert "/profile" in help_text and "/timezone" in help_text


async def test_help_shows_admin_commands_to_admins_only(app: BotApp) -> None:
    async def secret(ctx: CommandContext, **_: Any) -> Reply:
        return ctx.reply("secret done")

    app.registry.command(
        "secret", description=N_("Admin only"), audience=Audience.ADMIN, topic=Topic.ADMIN
    )(secret)
    assert "/secret" not in texts(await say(app, "lucia", "/help administration"))
    assert "/secret" in texts(await say(app, "sofia", "/help administration"))  # admin by config
    refused = await say(app, "lucia", "/secret")
    assert "for the network's admins" in texts(refused)
    assert refused[0].destination is Destination.EPHEMERAL
    assert texts(await say(app, "sofia", "/secret")) == "secret done"


async def test_unknown_command_suggests_and_changes_nothing(app: BotApp) -> None:
    await say(app, "amina", "/start")
    before = await count(app, Member)
    reply = texts(await say(app, "amina", "/profle"))
    assert "I don't know the command /profle." in reply
    assert "Did you mean /profile?" in reply
    assert await count(app, Member) == before


async def test_malformed_argument_explains_usage_and_changes_nothing(app: BotApp) -> None:
    await say(app, "amina", "/timezone Africa/Tunis")
    reply = texts(await say(app, "amina", "/timezone Mars/Base"))
    assert "“Mars/Base” is not a time zone I know" in reply
    assert "/timezone <zone>" in reply
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", "amina")
        assert member is not None and member.timezone == "Africa/Tunis"


async def test_missing_and_extra_arguments(app: BotApp) -> None:
    assert "Missing “zone”." in texts(await say(app, "amina", "/timezone"))
    assert "I did not expect" in texts(await say(app, "amina", "/language fr de"))


async def test_over_long_input_is_refused_and_changes_nothing(app: BotApp) -> None:
    reply = texts(await say(app, "grace", "/profile set bio " + "x" * 9000))
    assert "too long" in reply
    assert await count(app, Member) == 0  # even the first-contact member was rolled back
    reply = texts(await say(app, "grace", "/profile set bio " + "x" * 1500))
    assert "at most 1000" in reply


async def test_redelivered_update_has_one_effect(app: BotApp) -> None:
    first = await say(app, "lucia", "/start", update_id="tg-1001")
    second = await say(app, "lucia", "/start", update_id="tg-1001")
    assert first and second == []
    assert await count(app, ProcessedUpdate) == 1
    assert await count(app, Account) == 1


async def test_a_redelivered_refusal_is_answered_once_and_changes_nothing(app: BotApp) -> None:
    """The refusal rolls the request back, but its update stays recorded: Telegram's
    redelivery (or a twin on another worker) must not get the refusal a second time."""
    first = await say(app, "lucia", "/rsvp 4242", update_id="tg-2001")
    assert "There is no event #4242" in texts(first)
    assert await say(app, "lucia", "/rsvp 4242", update_id="tg-2001") == []
    assert await count(app, ProcessedUpdate) == 1
    assert await count(app, Account) == 0  # the first contact was still rolled back


async def test_plain_text_in_private_without_conversation_gets_a_hint(app: BotApp) -> None:
    assert "Type /help" in texts(await say(app, "moana", "hello"))
    assert await say(app, "moana", "hello everyone", place=ROOM) == []


async def test_language_follows_member_then_platform_then_default(app: BotApp) -> None:
    assert "Bienvenue" in texts(await say(app, "amina", "/start", locale="fr-FR"))
    await say(app, "amina", "/language ar")
    replies = await say(app, "amina", "/help", locale="fr-FR")
    assert "ما يمكنني فعله لك" in texts(replies)
    assert replies[0].rtl
    assert "Welcome" in texts(await say(app, "grace", "/start", locale="de"))


async def test_handler_crash_apologises_and_rolls_back(app: BotApp) -> None:
    async def boom(ctx: CommandContext, **_: Any) -> None:
        ctx.member.display_name = "changed"
        raise RuntimeError("bug")

    app.registry.command("boom", description=N_("Admin only"))(boom)
    await say(app, "amina", "/start")
    assert "something went wrong" in texts(await say(app, "amina", "/boom"))
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", "amina")
        assert member is not None and member.display_name == "Amina"


async def test_old_update_ids_are_forgotten_after_a_week(app: BotApp) -> None:
    from datetime import timedelta

    from bot.features.general.commands import forget_old_updates

    await say(app, "lucia", "/help", update_id="tg-1")
    assert await forget_old_updates(app, app.clock.now() + timedelta(days=6)) == 0
    assert await forget_old_updates(app, app.clock.now() + timedelta(days=8)) == 1
    assert await count(app, ProcessedUpdate) == 0
