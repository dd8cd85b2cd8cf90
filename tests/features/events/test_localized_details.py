"""``/webinar add`` and ``/webinar edit`` read field names, values and durations in the four
languages (issue 19, F), through the shared keywords (``bot/data/keywords.toml``)."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from storage.models import Event
from tests.helpers import say, texts

ADMIN = "sofia"


async def _event(app: BotApp) -> Event:
    async with app.database.unit_of_work() as uow:
        event = await uow.events.get(1)
        assert event is not None
        return event


async def test_french_recurrence_word_and_durations_in_add(app: BotApp) -> None:
    said = texts(
        await say(
            app, ADMIN,
            '/webinar ajouter "S" 2026-12-01 10:00 Europe/Paris hebdomadaire:3 1h30 2j,1h '
            'langue=es lieu="Mairie"',
            locale="fr",
        )
    )  # fmt: skip
    assert "Je n'ai pas compris" not in said, said
    event = await _event(app)
    assert event.rrule == "FREQ=WEEKLY;COUNT=3"
    assert event.duration_minutes == 90
    assert event.offsets == [2880, 60]
    assert event.language == "es"
    assert event.place == "Mairie"


@pytest.mark.parametrize(
    ("locale", "command", "check"),
    [
        ("fr", "/webinar modifier 1 public tous", lambda e: e.audience == "all"),
        ("es", "/webinar editar 1 público todos", lambda e: e.audience == "all"),
        ("ar", "/webinar تحرير 1 الجمهور الجميع", lambda e: e.audience == "all"),
        ("fr", "/webinar modifier 1 public région:mena", lambda e: e.audience == "region:mena"),
        ("fr", "/webinar modifier 1 langue espagnol", lambda e: e.language == "es"),
        ("es", "/webinar editar 1 idioma francés", lambda e: e.language == "fr"),
        ("fr", "/webinar modifier 1 durée 1h30", lambda e: e.duration_minutes == 90),
        ("es", "/webinar editar 1 duración 2 horas", lambda e: e.duration_minutes == 120),
        ("ar", "/webinar تحرير 1 المدة ساعتان", lambda e: e.duration_minutes == 120),
        ("fr", "/webinar modifier 1 rappels 2j,1h", lambda e: e.offsets == [2880, 60]),
        ("es", "/webinar editar 1 recordatorios 2 días, 1 hora", lambda e: e.offsets == [2880, 60]),
        ("ar", "/webinar تحرير 1 التذكيرات يومان، ساعتان", lambda e: e.offsets == [2880, 120]),
        ("es", "/webinar editar 1 repetición mensual:2", lambda e: e.rrule.endswith("COUNT=2")),
        ("fr", "/webinar modifier 1 répétition aucune", lambda e: e.rrule is None),
    ],
)
async def test_edit_values_in_the_readers_language(
    app: BotApp, locale: str, command: str, check: object
) -> None:
    await say(app, ADMIN, '/webinar add "S" 2026-12-01 10:00 Europe/Paris weekly:4')
    said = texts(await say(app, ADMIN, command, locale=locale))
    event = await _event(app)
    assert callable(check) and check(event), said


async def test_audience_back_to_the_community_in_french(app: BotApp) -> None:
    await say(app, ADMIN, '/webinar add "S" 2026-12-01 10:00 Europe/Paris audience=all')
    assert (await _event(app)).audience == "all"
    await say(app, ADMIN, "/webinar modifier 1 public communauté", locale="fr")
    assert (await _event(app)).audience == "community"


async def test_a_refused_audience_names_the_readers_words(app: BotApp) -> None:
    await say(app, ADMIN, '/webinar add "S" 2026-12-01 10:00 Europe/Paris')
    said = texts(await say(app, ADMIN, "/webinar modifier 1 public personne", locale="fr"))
    assert "tout_le_monde, communauté ou région:<code>" in said, said
