"""``/webinar add`` takes days in words in four languages: ``tomorrow 10:00``, ``demain 10h``,
``mañana 10:00``, ``غدا ١٠:٠٠``, ``today``, and weekdays meaning the next such day, counted
from today's date in the event's zone (not the server's, not UTC); a part it does not
understand is named precisely."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from bot.app import BotApp
from bot.core.arguments import ArgKind, ArgSpec, parse_text_arguments
from bot.core.clock import ManualClock
from bot.core.day_words import RelativeDay
from bot.core.errors import UsageError
from storage.models import Event
from tests.conftest import make_settings
from tests.helpers import say, texts

SPECS = (ArgSpec("start", ArgKind.DATETIME, "x"), ArgSpec("rest", ArgKind.TEXT, "y", False))
TEN = time(10, 0)
# Thursday 26 November 23:30 in UTC is already Friday 27 November 08:30 in Tokyo.
NOW = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)


TWO = time(14, 0)
TOMORROW, TODAY = RelativeDay(TEN, days=1), RelativeDay(TWO, days=0)
TUESDAY = RelativeDay(TWO, weekday=1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("tomorrow 10:00", TOMORROW), ("Demain 10h", TOMORROW), ("mañana 10:00", TOMORROW),
     ("غدًا ١٠:٠٠", TOMORROW), ("today 2pm", TODAY), ("aujourd’hui 14h", TODAY),
     ("hoy 14:00", TODAY), ("اليوم 14:00", TODAY), ("tuesday 2 pm", TUESDAY),
     ("mardi 14h30", RelativeDay(time(14, 30), weekday=1)), ("martes 14:00", TUESDAY),
     ("الثلاثاء ١٤:٠٠", TUESDAY), ("sábado 10h", RelativeDay(TEN, weekday=5)),
     ("الأحد 10:00", RelativeDay(TEN, weekday=6))],
)  # fmt: skip
def test_days_in_words_in_four_languages(typed: str, expected: RelativeDay) -> None:
    assert parse_text_arguments(SPECS, f"{typed} Asia/Tokyo 60m") == {
        "start": expected,
        "rest": "Asia/Tokyo 60m",
    }


@pytest.mark.parametrize(
    "typed",
    ["next tuesday 2pm", "on tuesday 14:00", "Next Tuesday 2 pm", "mardi prochain 14h",
     "le mardi prochain 14h", "prochain mardi 14:00", "el próximo martes 14:00",
     "martes próximo 14:00", "el martes que viene 14h", "proximo martes 14:00",
     "الثلاثاء القادم ١٤:٠٠", "يوم الثلاثاء القادم 14:00", "الثلاثاء المقبل 14:00"],
)  # fmt: skip
def test_a_weekday_said_in_a_phrase_is_the_bare_weekday(typed: str) -> None:
    """A weekday in a phrase ("next tuesday", "mardi prochain", "el próximo martes",
    "الثلاثاء القادم") is the next Tuesday after today, like "tuesday" alone."""
    assert parse_text_arguments(SPECS, f"{typed} Asia/Tokyo 60m") == {
        "start": TUESDAY,
        "rest": "Asia/Tokyo 60m",
    }


@pytest.mark.parametrize(
    "typed",
    ["the day after tomorrow 10:00", "après-demain 10h", "après demain 10h",
     "pasado mañana 10:00", "بعد غد ١٠:٠٠"],
)  # fmt: skip
def test_the_day_after_tomorrow_in_four_languages(typed: str) -> None:
    assert parse_text_arguments(SPECS, f"{typed} UTC") == {
        "start": RelativeDay(TEN, days=2),
        "rest": "UTC",
    }


def test_a_weekday_is_the_next_such_day_never_today() -> None:
    friday = datetime(2026, 11, 27).date()
    assert RelativeDay(TEN, weekday=1).on(friday) == datetime(2026, 12, 1, 10)
    assert RelativeDay(TEN, weekday=4).on(friday) == datetime(2026, 12, 4, 10)
    assert RelativeDay(TEN, weekday=5).on(friday) == datetime(2026, 11, 28, 10)
    assert RelativeDay(TEN, days=0).on(friday) == datetime(2026, 11, 27, 10)


@pytest.mark.parametrize(
    ("typed", "values"),
    [("demain 25h UTC", {"day": "demain", "time": "25h"}),
     ("tomorrow", {"day": "tomorrow"}),
     ("someday 10:00 UTC", {"day": "someday", "time": "10:00"}),
     ("lendemain 2pm", {"day": "lendemain", "time": "14:00"}),
     ("mardi prochain 25h UTC", {"day": "mardi prochain", "time": "25h"}),
     ("el próximo martes", {"day": "el próximo martes"}),
     ("next blursday 10:00 UTC", {"day": "next blursday", "time": "10:00"}),
     ("martes pasado 10:00", {"day": "martes pasado", "time": "10:00"}),
     ("prochain 10h", {"day": "prochain", "time": "10:00"}),
     ("الثلاثاء الماضي 10:00", {"day": "الثلاثاء الماضي", "time": "10:00"})],
)  # fmt: skip
def test_the_part_not_understood_is_named(typed: str, values: dict[str, str]) -> None:
    with pytest.raises(UsageError) as raised:
        parse_text_arguments(SPECS, typed)
    assert raised.value.values == values


async def _starts(app: BotApp) -> list[datetime]:
    async with app.unit_of_work() as uow:
        events = await uow.session.scalars(select(Event).order_by(Event.id))
        return [e.starts_at.replace(tzinfo=e.starts_at.tzinfo or UTC) for e in events]


async def test_tomorrow_is_counted_in_the_events_zone_across_a_day_boundary(
    sqlite_url: str,
) -> None:
    app = await BotApp.start(make_settings(sqlite_url), clock=ManualClock(NOW))
    try:
        typed = [
            ("en", "tomorrow 10:00"), ("fr", "demain 10h"), ("es", "mañana 10:00"),
            ("ar", "غدا ١٠:٠٠"), ("fr", "mardi 14h"), ("es", "martes 14:00"),
            ("ar", "الثلاثاء 14:00"), ("en", "today 10am"),
        ]  # fmt: skip
        for locale, when in typed:
            replies = await say(
                app, "sofia", f'/webinar add "Talk" {when} Asia/Tokyo', locale=locale
            )
            assert "Talk" in texts(replies), texts(replies)
        # In UTC it is still Thursday, so "tomorrow" there is Friday 27.
        await say(app, "sofia", '/webinar add "Talk" tomorrow 10:00 UTC')
        tokyo_saturday_ten = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
        tokyo_tuesday_two = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
        assert await _starts(app) == [tokyo_saturday_ten] * 4 + [tokyo_tuesday_two] * 3 + [
            datetime(2026, 11, 27, 1, 0, tzinfo=UTC),  # today in Tokyo: Friday 27, 10:00
            datetime(2026, 11, 27, 10, 0, tzinfo=UTC),
        ]
        # Today at 08:00 in Tokyo has passed (it is 08:30 there): refused, nothing added.
        replies = await say(app, "sofia", '/webinar add "Late" today 08:00 Asia/Tokyo')
        assert "in the past" in texts(replies)
        refused = await say(app, "sofia", '/webinar add "X" demain 25h Asia/Tokyo', locale="fr")
        assert "25h" in texts(refused) and "demain" in texts(refused)
        refused = await say(app, "sofia", '/webinar add "X" algún 10:00 UTC', locale="es")
        assert "Entendí la hora 10:00, pero no el día «algún»" in texts(refused)
        refused = await say(app, "sofia", '/webinar add "X" غدا', locale="ar")
        assert "فهمتُ اليوم «غدا» لكن يلزم وقت أيضًا" in texts(refused)
        assert len(await _starts(app)) == 9
    finally:
        await app.close()


async def test_webinar_add_takes_a_weekday_in_a_phrase_in_four_languages(sqlite_url: str) -> None:
    """The phrase reaches the handler whole: each lands on the next Tuesday in Tokyo, and
    a phrase naming no day is refused by name, nothing added."""
    app = await BotApp.start(make_settings(sqlite_url), clock=ManualClock(NOW))
    try:
        typed = [
            ("en", "next tuesday 14:00"), ("fr", "mardi prochain 14h"),
            ("es", "el próximo martes 14:00"), ("es", "martes próximo 14:00"),
            ("ar", "الثلاثاء القادم ١٤:٠٠"),
        ]  # fmt: skip
        for locale, when in typed:
            replies = await say(
                app, "sofia", f'/webinar add "Talk" {when} Asia/Tokyo', locale=locale
            )
            assert "Talk" in texts(replies), texts(replies)
        assert await _starts(app) == [datetime(2026, 12, 1, 5, 0, tzinfo=UTC)] * 5
        refused = await say(app, "sofia", '/webinar add "X" martes pasado 10:00 UTC', locale="es")
        assert "Entendí la hora 10:00, pero no el día «martes pasado»" in texts(refused)
        assert len(await _starts(app)) == 5
    finally:
        await app.close()
