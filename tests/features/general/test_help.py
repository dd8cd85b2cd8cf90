"""/help fits a chat: topics first, every screen under the platforms' message limits, in every
language and for every kind of member; every command belongs to exactly one topic."""

from __future__ import annotations

import pytest

from adapters.discord.render import render as discord_markdown
from adapters.telegram.render import render_html, utf16_len
from bot.app import BotApp
from bot.core.i18n import N_, SUPPORTED_LANGUAGES, Translator
from bot.core.registry import Audience, CommandSpec
from bot.core.topics import TOPIC_TEXTS, Topic, topic_named
from bot.features import build_registry
from tests.helpers import say, texts

DISCORD_LIMIT = 2000
TELEGRAM_LIMIT = 4096
ADMIN = "sofia"  # an admin by configuration (tests/conftest.py)


def test_every_command_declares_a_topic() -> None:
    """A new command must say what people come to it for, or it would fall out of /help."""
    missing = [spec.name for spec in build_registry().all() if spec.topic is None]
    assert missing == [], f"commands without a topic: {missing}"


@pytest.mark.parametrize("audience", list(Audience))
def test_every_visible_command_is_under_exactly_one_topic(audience: Audience) -> None:
    registry = build_registry()
    listed = [spec.path for specs in registry.by_topic(audience).values() for spec in specs]
    assert len(listed) == len(set(listed))
    assert set(listed) == {spec.path for spec in registry.visible_to(audience)}


def test_the_admin_topic_is_for_admins_only() -> None:
    registry = build_registry()
    assert Topic.ADMIN in registry.by_topic(Audience.ADMIN)
    assert Topic.ADMIN not in registry.by_topic(Audience.CHAMPION)
    assert all(
        spec.audience is Audience.ADMIN for spec in registry.by_topic(Audience.ADMIN)[Topic.ADMIN]
    )


def test_each_topic_has_examples_for_the_first_screen() -> None:
    for topic, specs in build_registry().by_topic(Audience.ADMIN).items():
        assert 2 <= sum(spec.featured for spec in specs) <= 3, topic


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_topic_words_are_read_back_in_every_language(language: str) -> None:
    translator = Translator(language)
    words = {translator.gettext(text.word) for text in TOPIC_TEXTS.values()}
    assert len(words) == len(TOPIC_TEXTS), "two topics share a word"
    for topic, text in TOPIC_TEXTS.items():
        word = translator.gettext(text.word)
        assert topic_named(word) is topic
        assert topic_named(word.upper()) is topic
    if language != "en":
        assert any(translator.gettext(t.word) != t.word for t in TOPIC_TEXTS.values())


def test_topic_words_without_accents() -> None:
    assert topic_named("evenements") is Topic.EVENTS
    assert topic_named("Événements") is Topic.EVENTS
    assert topic_named("/help") is None


async def _members(app: BotApp) -> dict[str, str]:
    """A newcomer, a champion and an admin, by the names they type as."""
    await say(app, "nadia", "/help")
    await say(app, "grace", "/help")
    await say(app, ADMIN, "/champion approve Grace", admin=True)
    return {"newcomer": "nadia", "champion": "grace", "admin": ADMIN}


def _subjects() -> list[str | None]:
    subjects: list[str | None] = [None]
    subjects += [topic.value for topic in Topic]
    subjects += sorted({spec.path[0] for spec in build_registry().visible_to(Audience.ADMIN)})
    return subjects


async def test_every_help_screen_fits_discord_and_telegram(app: BotApp) -> None:
    people = await _members(app)
    sizes: dict[str, int] = {}
    for language in SUPPORTED_LANGUAGES:
        for who, name in people.items():
            await say(app, name, f"/language {language}", admin=name == ADMIN)
            for subject in _subjects():
                typed = "/help" if subject is None else f"/help {subject}"
                replies = await say(app, name, typed, admin=name == ADMIN)
                assert len(replies) == 1, typed
                body = replies[0].body
                discord = len(discord_markdown(body))
                telegram = utf16_len(render_html(body, rtl=language == "ar"))
                where = f"{typed} ({language}, {who})"
                assert discord <= DISCORD_LIMIT, f"{where}: {discord} characters on Discord"
                assert telegram <= TELEGRAM_LIMIT, f"{where}: {telegram} on Telegram"
                sizes[where] = discord
    # the first screen is short: a line per topic
    assert max(v for k, v in sizes.items() if k.startswith("/help (")) < 1200


async def test_first_screen_names_topics_and_examples(app: BotApp) -> None:
    shown = texts(await say(app, "nadia", "/help"))
    assert "/ask" in shown and "/webinars" in shown and "/help events" in shown
    assert "/champion" not in shown and "/stats" not in shown  # not theirs to run
    admin = texts(await say(app, ADMIN, "/help", admin=True))
    assert "/stats" in admin and "/help administration" in admin


async def test_help_events_in_spanish_lists_the_event_commands(app: BotApp) -> None:
    await say(app, "lucia", "/language es")
    first = texts(await say(app, "lucia", "/help"))
    assert "/help eventos" in first
    shown = texts(await say(app, "lucia", "/help eventos"))
    for command in ("/webinars", "/rsvp", "/unrsvp", "/reminders", "/calendar", "/ics"):
        assert command in shown, command
    assert "/ask" not in shown and "/webinar add" not in shown  # another topic; admins' only
    assert "Eventos" in shown


async def test_admins_see_event_management_under_events(app: BotApp) -> None:
    shown = texts(await say(app, ADMIN, "/help events", admin=True))
    assert "/webinar add" in shown and "/rsvp" in shown


async def test_admin_topic_is_closed_to_members(app: BotApp) -> None:
    shown = texts(await say(app, "nadia", "/help admin"))
    assert "/champion" not in shown and "/stats" not in shown


async def test_help_for_one_command(app: BotApp) -> None:
    shown = texts(await say(app, "nadia", "/help rsvp"))
    assert "/rsvp <id>" in shown and "Join an event" in shown
    group = texts(await say(app, "nadia", "/help /calendar"))
    assert "/calendar feed revoke" in group
    assert "/webinar add" not in texts(await say(app, "nadia", "/help webinar"))
    admin = texts(await say(app, ADMIN, "/help webinar", admin=True))
    assert "/webinar add <title> <start> [details]" in admin and "/webinar cancel" in admin


async def test_unknown_subject_lists_the_topics(app: BotApp) -> None:
    await say(app, "amina", "/language fr")
    shown = texts(await say(app, "amina", "/help nimporte"))
    assert "nimporte" in shown and "conseils" in shown and "événements" in shown


async def test_the_first_screen_is_kept_per_language_and_audience(app: BotApp) -> None:
    """The first screen is built once per language and audience (docs/performance.md), so a
    member never reads another language's or another audience's copy, and a command added
    later is on it at once."""
    english = texts(await say(app, "nadia", "/help"))
    await say(app, "lucia", "/language es")
    spanish = texts(await say(app, "lucia", "/help"))
    admin = texts(await say(app, ADMIN, "/help", admin=True))
    assert english != spanish and "admin" not in english.lower()
    assert texts(await say(app, "nadia", "/help")) == english
    assert texts(await say(app, "lucia", "/help")) == spanish
    assert "admin" in admin.lower() and admin != english

    async def hello(ctx: object, **_: object) -> None:
        return None

    app.registry.add(CommandSpec(("aaahello",), N_("Say hello"), hello, featured=True))
    assert "/aaahello" in texts(await say(app, "nadia", "/help"))
