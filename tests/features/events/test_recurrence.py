"""A series' repetition in words, and its next dates in the reader's zone (issue 19, point 3)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.i18n import Translator
from bot.features.events.cards import event_card
from bot.features.events.recurrence import next_dates_lines, read_rule, repeat_text, upcoming
from bot.features.events.service import parse_repeat
from storage.models import Event
from storage.statuses import EventStatus

# Tuesday 20 October 2026, 10:00 in Paris (summer time, UTC+2); Europe goes back to winter
# time on Sunday 25 October, so the next Tuesdays are at 10:00 Paris = 09:00 UTC.
FIRST = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)


def series(rrule: str | None, *, start: datetime = FIRST, zone: str = "Europe/Paris") -> Event:
    return Event(
        id=7,
        community_id=1,
        title="Budget clinic",
        starts_at=start,
        timezone=zone,
        duration_minutes=60,
        language="en",
        rrule=rrule,
        cancelled_dates=[],
        status=EventStatus.SCHEDULED,
        speakers=[],
    )


SAID = {
    ("weekly:3", "en"): "Weekly on Tuesday, 3 sessions",
    ("weekly:3", "fr"): "Chaque semaine, le mardi, 3 séances",
    ("weekly:3", "es"): "Cada semana, el martes, 3 sesiones",
    ("weekly:3", "ar"): "أسبوعيًا، يوم الثلاثاء، عدد الجلسات: 3",
    ("weekly", "en"): "Weekly on Tuesday",
    ("weekly:1", "fr"): "Chaque semaine, le mardi, une seule séance",
    ("biweekly", "es"): "Cada dos semanas, el martes",
    ("biweekly:4", "en"): "Every other week on Tuesday, 4 sessions",
    ("monthly", "fr"): "Chaque mois, le 20",
    ("monthly:6", "ar"): "في اليوم 20 من كل شهر، عدد الجلسات: 6",
}


@pytest.mark.parametrize(("typed", "language"), list(SAID))
def test_every_rule_the_bot_creates_is_said_in_words(typed: str, language: str) -> None:
    event = series(parse_repeat(typed))
    text = repeat_text(event, FIRST, "Europe/Paris", Translator(language))
    assert text == SAID[typed, language]
    assert "FREQ" not in text


def test_the_weekday_is_the_readers_own() -> None:
    """Tuesday 23:30 in Paris is already Wednesday in Manila: the reader is told Wednesday."""
    late = series(parse_repeat("weekly"), start=datetime(2026, 10, 20, 21, 30, tzinfo=UTC))
    assert repeat_text(late, late.starts_at, "Asia/Manila", Translator("en")) == (
        "Weekly on Wednesday"
    )
    assert repeat_text(late, late.starts_at, "Europe/Paris", Translator("fr")) == (
        "Chaque semaine, le mardi"
    )


def test_until_is_said_as_a_date_in_the_readers_language() -> None:
    event = series("FREQ=WEEKLY;UNTIL=20261215T235959Z")
    assert repeat_text(event, FIRST, "Europe/Paris", Translator("en")) == (
        "Weekly on Tuesday, until Wed, 16 Dec 2026"
    )
    assert repeat_text(event, FIRST, "Europe/Paris", Translator("es")) == (
        "Cada semana, el martes, hasta el mié, 16 dic 2026"
    )


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;INTERVAL=3", "FREQ=YEARLY;X=1"]
)
def test_other_rules_get_a_translated_generic_sentence_never_the_raw_rule(rule: str) -> None:
    assert read_rule(rule).kind is None
    for language in ("en", "fr", "es", "ar"):
        text = repeat_text(series(rule), FIRST, "UTC", Translator(language))
        assert "FREQ" not in text and "=" not in text
    assert repeat_text(series(rule), FIRST, "UTC", Translator("fr")).startswith("Se répète")


@pytest.mark.parametrize("reader", ["Africa/Lusaka", "America/Bogota"])
def test_a_reader_elsewhere_sees_the_session_move_when_the_organisers_clocks_change(
    reader: str,
) -> None:
    event = series(parse_repeat("weekly:3"))
    moments = upcoming(event, FIRST)
    assert [m.hour for m in moments] == [8, 9, 9]  # UTC: 10:00 Paris in summer, then winter
    lines = next_dates_lines(event, FIRST, reader, Translator("en"))
    before = {"Africa/Lusaka": "10:00", "America/Bogota": "03:00"}[reader]
    after = {"Africa/Lusaka": "11:00", "America/Bogota": "04:00"}[reader]
    assert lines == [
        f"Next sessions ({reader}):",
        f"Tue, 20 Oct 2026, {before}",
        f"Tue, 27 Oct 2026, {after}",
        f"Tue, 3 Nov 2026, {after}",
    ]
    # The organiser in Paris sees the same local time all along.
    paris = next_dates_lines(event, FIRST, "Europe/Paris", Translator("fr"))
    assert all(text.endswith("10:00") for text in paris[1:])
    assert paris[0] == "Prochaines séances (Europe/Paris) :"


def test_cancelled_dates_are_skipped_and_a_lone_date_lists_nothing() -> None:
    event = series(parse_repeat("weekly:3"))
    event.cancelled_dates = ["2026-10-27"]
    assert [m.day for m in upcoming(event, FIRST)] == [20, 3]
    assert next_dates_lines(series(parse_repeat("weekly:1")), FIRST, "UTC", Translator("en")) == []


def test_the_series_card_shows_words_and_next_dates_in_every_language() -> None:
    event = series(parse_repeat("weekly:3"))
    for language, words in (
        ("en", "Weekly on Tuesday, 3 sessions"),
        ("fr", "Chaque semaine, le mardi, 3 séances"),
        ("es", "Cada semana, el martes, 3 sesiones"),
        ("ar", "أسبوعيًا، يوم الثلاثاء، عدد الجلسات: 3"),
    ):
        text = event_card(event, FIRST, Translator(language), "Africa/Lusaka").body.plain()
        assert words in text
        assert "FREQ" not in text and "COUNT" not in text
        assert text.count("Africa/Lusaka") >= 2  # the card's time and the next dates' heading
