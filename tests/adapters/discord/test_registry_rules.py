"""What the bot really sends Discord for the whole registry keeps Discord's documented rules.

The command set (every command, option and locale), every modal in all four languages and the
autocomplete answers are built by the real adapter code and checked with the fake's rules
(tests/fakes/discord_rules/) and the OpenAPI schema; the command set is also posted to the
fake, which must accept it.
"""

from __future__ import annotations

from typing import Any, cast

import aiohttp
import discord
import pytest
from discord import app_commands

from adapters.discord.command_plan import plan
from adapters.discord.commands import autocompletes, build_commands, offers_choices
from adapters.discord.convert import autocomplete_choices
from adapters.discord.declaring import CatalogTranslator, declared_payload
from adapters.discord.modals import CommandModal
from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.i18n import N_, SUPPORTED_LANGUAGES, Translator
from bot.core.registry import Registry
from bot.core.suggestions import BUILTIN_SOURCES, SuggestionQuery
from bot.features import build_registry
from tests.adapters.discord.conftest import Starter
from tests.fakes.discord import APP_ID, GUILD_ID, FakeDiscord, body_breaches
from tests.fakes.discord_rules import (
    CHOICES_LIMIT,
    autocomplete_breaches,
    command_size,
    modal_breaches,
)

COMMANDS = f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"


async def _never(*args: Any) -> Any:
    raise AssertionError("not called")


async def registry_payload(registry: Registry) -> list[dict[str, Any]]:
    """Exactly the bulk overwrite the adapter sends for ``registry``, localized."""
    client = discord.Client(intents=discord.Intents.none())
    tree: app_commands.CommandTree[Any] = app_commands.CommandTree(client)
    await tree.set_translator(CatalogTranslator())
    roots, _ = build_commands(registry, _never, _never)
    for root in roots:
        tree.add_command(root)
    return await declared_payload(tree, None)


def _options(item: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for option in item.get("options") or []:
        found.append(option)
        found += _options(option)
    return found


async def test_the_whole_registry_keeps_every_documented_rule() -> None:
    payload = await registry_payload(build_registry())
    breaches = body_breaches("PUT", COMMANDS, payload)
    assert breaches == [], "\n".join(map(str, breaches))
    options = [option for command in payload for option in _options(command)]
    assert not [o["name"] for o in options if o.get("choices") and o.get("autocomplete")]
    locales = {
        locale
        for item in [*payload, *options]
        for locale in item.get("description_localizations") or {}
    }
    assert locales == {"fr", "es-ES", "es-419"}  # Discord has no Arabic
    assert max(command_size(command) for command in payload) < 4000  # far from 8000


async def test_the_whole_registry_is_accepted_by_the_fake() -> None:
    payload = await registry_payload(build_registry())
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        async with session.put(fake.api_base_url + COMMANDS, json=payload) as response:
            assert response.status == 200, await response.text()
        assert fake.violations == []


async def test_threads_theme_offers_its_choices_without_autocomplete() -> None:
    """Issue 12: /threads theme had both, and Discord refused the whole command set."""
    payload = await registry_payload(build_registry())
    threads = next(c for c in payload if c["name"] == "threads")
    theme = next(o for o in threads["options"] if o["name"] == "theme")
    assert theme["choices"] and not theme.get("autocomplete")


def test_choices_or_autocomplete_never_both() -> None:
    few = tuple(Choice(f"v{i}", N_("Theme")) for i in range(25))
    many = tuple(Choice(f"v{i}", N_("Theme")) for i in range(26))
    with_source = ArgSpec("theme", ArgKind.CHOICE, N_("Theme"), choices=few, suggest="themes")
    assert offers_choices(with_source) and not autocompletes(with_source)
    too_many = ArgSpec("theme", ArgKind.CHOICE, N_("Theme"), choices=many, suggest="themes")
    assert autocompletes(too_many) and not offers_choices(too_many)
    source_only = ArgSpec("zone", ArgKind.TIMEZONE, N_("Time zone"), suggest="timezones")
    assert autocompletes(source_only) and not offers_choices(source_only)
    plain = ArgSpec("count", ArgKind.INTEGER, N_("Time zone"))
    assert not autocompletes(plain) and not offers_choices(plain)


def _whole_words(shown: str, full: str) -> bool:
    """``shown`` is ``full``, or its start (an aside dropped, or cut before "…") ending
    between words, never between two letters of one word."""
    full = " ".join(full.split())
    head = shown.removesuffix("…").rstrip()
    if not full.startswith(head):
        return False
    rest = full[len(head) :]
    return not rest or not (head[-1:].isalnum() and rest[0].isalnum())


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_every_modal_in_every_language_keeps_the_rules(language: str) -> None:
    translator = Translator(language)
    leaves = [leaf for leaf in plan(build_registry()) if leaf.long_args]
    assert leaves
    for leaf in leaves:
        modal = CommandModal(cast(Any, None), leaf, {}, translator, opened_by=1)
        data = modal.to_dict()
        breaches = modal_breaches(data)
        assert breaches == [], f"/{leaf.name} ({language}): {list(map(str, breaches))}"
        assert _whole_words(data["title"], translator.gettext(leaf.spec.description)), data
        for row, arg in zip(data["components"], leaf.long_args, strict=True):
            [field] = row["components"]
            description = translator.gettext(arg.description)
            assert _whole_words(field["label"], description), field
            if field["label"] != " ".join(description.split()):  # the rest is not lost
                assert field["placeholder"].removesuffix("…") in description


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("source", sorted(BUILTIN_SOURCES))
@pytest.mark.parametrize("typed", ["", "a", "gender", "tun"])
async def test_autocomplete_answers_keep_the_rules(language: str, source: str, typed: str) -> None:
    nobody = cast(Any, None)  # the built-in sources read only what was typed and the language
    query = SuggestionQuery(nobody, nobody, typed, Translator(language))
    found = await BUILTIN_SOURCES[source](query)
    choices = autocomplete_choices([(s.label, s.value) for s in found])
    answer = {"choices": [choice.to_dict() for choice in choices]}
    assert autocomplete_breaches(answer) == []
    assert len(answer["choices"]) <= CHOICES_LIMIT


def test_autocomplete_drops_values_it_cannot_send_and_shortens_names() -> None:
    long_name = "word " * 30
    choices = autocomplete_choices(
        [(long_name, "ok"), ("fine", "v" * 101), ("", "empty-label")]
        + [(f"n{i}", f"v{i}") for i in range(40)]
    )
    assert len(choices) == 25
    assert choices[0].name.endswith("…") and len(choices[0].name) <= 100
    assert "v" * 101 not in [c.value for c in choices]
    assert choices[1].name == "empty-label"


async def test_modals_open_in_each_discord_locale(fake: FakeDiscord, start_bot: Starter) -> None:
    """End to end: the modal the real discord.py sends in French and Spanish is accepted."""
    admin = fake.add_user("Sofia")
    running = await start_bot(admins=(admin,))
    leaves = [leaf for leaf in plan(running.app.registry) if leaf.long_args]
    for locale in ("en-US", "fr", "es-ES", "es-419"):
        for leaf in leaves:
            options = {
                arg.name: arg.choices[0].value if arg.choices else "x"
                for arg in leaf.options
                if arg.required
            }
            opened = await fake.run_interaction(
                fake.interaction(
                    admin, 2, fake.command_data(*leaf.path, options=options), locale=locale
                )
            )
            [callback] = opened.callbacks
            assert callback["type"] == 9, f"/{leaf.name} ({locale})"
    assert fake.violations == []


def test_more_form_boxes_than_discord_allows_fail_at_start_up() -> None:
    registry = Registry()
    args = [ArgSpec(f"text{i}", ArgKind.TEXT, N_("New value"), long=True) for i in range(6)]

    async def many(ctx: Any, **_: Any) -> None:
        return None

    registry.command("form", description=N_("List what I can do for you"), args=args)(many)
    with pytest.raises(ValueError, match="5 boxes in a form: /form"):
        plan(registry)


async def test_button_labels_fit_in_whole_words() -> None:
    from adapters.discord.messenger import build_view
    from bot.core.messages import Button, Reply
    from bot.core.richtext import doc
    from tests.fakes.discord_rules import message_breaches

    label = (
        "Je participerai à la réunion régionale des championnes en Afrique de l’Ouest et du Centre"
    )
    view = build_view(Reply(body=doc("x"), buttons=((Button(label, "rsvp 12"),),)))
    assert view is not None
    components = view.to_components()
    assert message_breaches({"content": "x", "components": components}) == []
    shown = components[0]["components"][0]["label"]
    assert shown.endswith("…") and _whole_words(shown, label)


@pytest.mark.parametrize("name", ["Theme", "two words", "x" * 33, "what?"])
def test_an_option_name_discord_refuses_fails_at_start_up(name: str) -> None:
    registry = Registry()

    async def handler(ctx: Any, **_: Any) -> None:
        return None

    args = [ArgSpec(name, ArgKind.WORD, N_("Theme"))]
    registry.command("form", description=N_("List what I can do for you"), args=args)(handler)
    with pytest.raises(ValueError, match="Discord option names"):
        plan(registry)


async def test_subcommand_and_option_names_are_localized_where_discord_allows() -> None:
    """Issue 19: French and Spanish readers see ``/threads [filtre]`` and ``/forget confirmer``
    in Discord's menu; the roots stay the words /help shows, Arabic has no Discord locale."""
    payload = await registry_payload(build_registry())
    threads = next(command for command in payload if command["name"] == "threads")
    first = threads["options"][0]
    assert first["name"] == "filter"
    assert first["name_localizations"]["fr"] == "filtre"
    assert first["name_localizations"]["es-ES"] == "filtro"
    assert not threads.get("name_localizations")
    champion = next(command for command in payload if command["name"] == "champion")
    approve = next(option for option in champion["options"] if option["name"] == "approve")
    assert approve["name_localizations"]["fr"] == "approuver"
    for command in payload:  # no two options of one command read alike in a language
        for item in [command, *_options(command)]:
            names = [o.get("name_localizations") or {} for o in item.get("options") or []]
            for locale in ("fr", "es-ES"):
                spelled = [n[locale] for n in names if locale in n]
                assert len(spelled) == len(set(spelled)), (command["name"], locale)
