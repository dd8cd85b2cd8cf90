"""The declared application commands: derived from the registry, localized, synced sparingly."""

from __future__ import annotations

from typing import Any

from adapters.discord.command_plan import ROOT_SUBCOMMAND, plan
from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec
from bot.core.i18n import N_, Translator
from bot.core.messages import Reply
from bot.core.registry import Audience, Registry
from tests.adapters.discord.conftest import Starter
from tests.fakes.discord import FakeDiscord


def _by_name(commands: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(c for c in commands if c["name"] == name)


def add_admin_command(app: BotApp) -> None:
    async def secret(ctx: Any, **_: Any) -> Reply:
        await ctx.audit("secret.run")
        return ctx.reply("Secret done.")

    app.registry.command(
        "secret",
        description=N_("List what I can do for you"),
        audience=Audience.ADMIN,
        args=[ArgSpec("count", ArgKind.INTEGER, N_("IANA time zone"), required=False)],
    )(secret)


def test_every_visible_core_command_has_a_slash_form(app: BotApp) -> None:
    leaves = plan(app.registry)
    runs = {leaf.spec.path for leaf in leaves}
    assert runs == {spec.path for spec in app.registry.all() if not spec.hidden}
    names = {leaf.name for leaf in leaves}
    # /profile is both a command and a group: its own form becomes /profile show.
    assert {f"profile {ROOT_SUBCOMMAND}", "profile set", "profile edit"} <= names
    assert "profile" not in names


async def test_payload_is_typed_localized_and_accepted(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    await start_bot(registry_hook=add_admin_command)
    [payload] = fake.command_puts  # validated against the OpenAPI schema by the fake
    assert {c["name"] for c in payload} >= {"help", "profile", "timezone", "language", "secret"}
    profile = _by_name(payload, "profile")
    assert sorted(o["name"] for o in profile["options"]) == ["edit", "set", "show"]
    assert all(o["type"] == 1 for o in profile["options"])
    set_ = _by_name(profile["options"], "set")
    field = _by_name(set_["options"], "field")
    assert field["type"] == 3 and len(field["choices"]) <= 25 and field["required"]
    zone = _by_name(_by_name(payload, "timezone")["options"], "zone")
    assert zone["autocomplete"] is True
    language = _by_name(_by_name(payload, "language")["options"], "language")
    assert {c["value"] for c in language["choices"]} == {"en", "fr", "es", "ar"}
    # admin-only roots are hidden from members by default (Manage Server), not by name
    secret = _by_name(payload, "secret")
    assert int(secret["default_member_permissions"]) == 32  # Manage Server
    assert secret["options"][0]["type"] == 4
    # a number's bounds travel with it: Discord's form refuses what the core would
    assert (secret["options"][0]["min_value"], secret["options"][0]["max_value"]) == (1, 2**31 - 1)
    days = _by_name(_by_name(payload, "stats")["options"], "days")
    assert (days["min_value"], days["max_value"]) == (1, 3660) and "max_length" not in days
    assert _by_name(payload, "help").get("default_member_permissions") is None
    # descriptions in French and Spanish from our catalogs when they exist
    help_ = _by_name(payload, "help")
    localized = help_.get("description_localizations") or {}
    assert set(localized) <= {"fr", "es-ES", "es-419"}
    french = Translator("fr").gettext(help_["description"])
    if french != help_["description"]:  # once the core catalog translates it
        assert localized["fr"] == french


async def test_commands_are_synced_once_not_on_every_start(
    fake: FakeDiscord, start_bot: Starter
) -> None:
    first = await start_bot()
    assert first.bot.synced is True
    await first.stop()
    second = await start_bot()
    assert second.bot.synced is False
    assert len(fake.command_puts) == 1
    await second.stop()
    third = await start_bot(registry_hook=add_admin_command)  # the declared set changed
    assert third.bot.synced is True
    assert len(fake.command_puts) == 2
    assert "secret" in {c["name"] for c in fake.command_puts[-1]}


async def test_catalog_translator_localizes_descriptions_but_not_names() -> None:
    import discord
    from discord import app_commands

    from adapters.discord.declaring import CatalogTranslator

    translator = CatalogTranslator()
    # discord.py's overloads pair a location with its command; the translator reads the
    # location only, so the test gives none
    description = app_commands.TranslationContext(  # type: ignore[call-overload]
        app_commands.TranslationContextLocation.command_description, None
    )
    name = app_commands.TranslationContext(  # type: ignore[call-overload]
        app_commands.TranslationContextLocation.command_name, None
    )
    done = app_commands.locale_str("Done.")
    assert await translator.translate(done, discord.Locale.french, description) == "C’est fait."
    assert await translator.translate(done, discord.Locale.spain_spanish, description) == "Hecho."
    assert await translator.translate(done, discord.Locale.german, description) is None
    assert await translator.translate(done, discord.Locale.french, name) is None


async def _noop(ctx: Any, **_: Any) -> None:
    return None


def test_groups_without_a_root_command_and_deep_paths() -> None:
    from adapters.discord.commands import build_commands

    registry = Registry()
    registry.command("webinar", "add", description=N_("List what I can do for you"))(_noop)
    registry.command("webinar", "list", description=N_("List what I can do for you"))(_noop)
    registry.command(
        "admin",
        "role",
        "set",
        description=N_("List what I can do for you"),
        audience=Audience.ADMIN,
    )(_noop)
    registry.command(
        "admin", "role", description=N_("List what I can do for you"), audience=Audience.ADMIN
    )(_noop)

    async def never(*args: Any) -> Any:
        raise AssertionError("not called")

    roots, leaves = build_commands(registry, never, never)
    assert sorted(leaf.name for leaf in leaves) == [
        "admin role set",
        "admin role show",
        "webinar add",
        "webinar list",
    ]
    webinar = next(r for r in roots if r.name == "webinar")
    assert webinar.description == "/webinar: add, list"
    admin = next(r for r in roots if r.name == "admin")
    assert admin.default_permissions is not None and admin.default_permissions.manage_guild


def test_what_discord_would_refuse_fails_at_start_up_with_the_culprit_named() -> None:
    import pytest

    registry = Registry()
    for index in range(26):
        registry.command("webinar", f"sub{index}", description=N_("List what I can do for you"))(
            _noop
        )
    with pytest.raises(ValueError, match="25 commands under /webinar"):
        plan(registry)


def test_roots_are_declared_in_the_help_topics_order() -> None:
    """Where a Discord client keeps the declared order, it is /help's: advice first, admin last."""
    from adapters.discord.commands import root_order
    from bot.features import build_registry

    registry = build_registry()
    order = root_order(registry, registry.top_level())
    assert sorted(order) == registry.top_level()
    assert set(order[:3]) == {"ask", "threads", "search_advice"}
    assert order.index("webinars") < order.index("profile") < order.index("stats")
