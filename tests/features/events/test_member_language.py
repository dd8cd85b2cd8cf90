"""One language per member: replies and what is sent later agree (issue 19, A).

A member who never typed /language is spoken to in their platform's locale, and that
language is stored at first contact, so reminders and other later messages (which only know
the stored language) speak it too; an explicit /language always wins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.features.events.fakes import wire
from tests.helpers import say, texts


async def test_locale_member_gets_the_confirmation_and_the_reminder_in_spanish(
    app: BotApp, clock: ManualClock
) -> None:
    dispatcher, messenger = wire(app)
    await say(
        app,
        "sofia",
        '/webinar add "Serie" 2026-11-26 14:00 Europe/Madrid 60m https://example.org/w 24h,1h',
    )
    answer = texts(await say(app, "lucia", "/rsvp 1", locale="es-MX"))
    assert "Te apuntaste a «Serie»" in answer
    assert "1 día antes" in answer and "1 hora antes" in answer
    assert "before" not in answer

    clock.set(datetime(2026, 11, 25, 13, 0, tzinfo=UTC) + timedelta(seconds=1))
    await dispatcher.run_due()
    reminder = messenger.to("lucia")
    assert len(reminder) == 1
    assert "Recordatorio: «Serie» empieza" in reminder[0].text

    card = texts(await say(app, "lucia", "/profile", locale="es-MX"))
    assert "Idioma del bot: español" in card


async def test_french_onboarding_profile_shows_french(app: BotApp) -> None:
    await say(app, "claire", "/start", locale="fr-FR")
    card = texts(await say(app, "claire", "/profile", locale="fr-FR"))
    assert "Langue du bot : français" in card  # French puts a space before the colon


async def test_explicit_language_wins_over_the_locale(app: BotApp) -> None:
    await say(app, "amina", "/language en", locale="ar")
    card = texts(await say(app, "amina", "/profile", locale="ar"))
    assert "Bot language: English" in card
    card = texts(await say(app, "amina", "/profile", locale="fr"))
    assert "Bot language: English" in card


async def test_a_language_never_chosen_follows_the_platform(
    app: BotApp, clock: ManualClock
) -> None:
    """A member who switches their app to Spanish is then written to in Spanish, later
    messages included, until they choose with /language."""
    dispatcher, messenger = wire(app)
    await say(app, "nadia", "/help", locale="fr")
    card = texts(await say(app, "nadia", "/profile", locale="es"))
    assert "Idioma del bot: español" in card
    await say(
        app,
        "sofia",
        '/webinar add "Serie" 2026-11-26 14:00 Europe/Madrid 60m https://example.org/w 1h',
    )
    await say(app, "nadia", "/rsvp 1", locale="es")
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC) + timedelta(seconds=1))
    await dispatcher.run_due()
    assert "Recordatorio: «Serie» empieza" in messenger.to("nadia")[0].text
