"""One format for dates and times per language (issue 19, point 4; docs/style.md).

The rendered forms are pinned per language, and a scan of ``bot/`` and ``adapters/`` fails
when a user-visible date is formatted by hand instead of through :mod:`bot.core.dates`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core import dates
from bot.core.errors import UsageError
from bot.core.i18n import Translator

ROOT = Path(__file__).resolve().parents[2]
MOMENT = datetime(2026, 10, 20, 13, 5, tzinfo=UTC)  # 15:05 in Paris (summer time), a Tuesday
LATER = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 10, 21, 7, 30, tzinfo=UTC)

RENDERED = {
    "en": (
        "Tue, 20 Oct 2026, 15:05 (Europe/Paris)",
        "Tue, 20 Oct 2026",
        "15:05 (Europe/Paris)",
        "Tue, 20 Oct 2026, 15:05–17:00 (Europe/Paris)",
    ),
    "fr": (
        "mar. 20 oct. 2026, 15:05 (Europe/Paris)",
        "mar. 20 oct. 2026",
        "15:05 (Europe/Paris)",
        "mar. 20 oct. 2026, 15:05\u2009–\u200917:00 (Europe/Paris)",  # CLDR: thin spaces,
    ),
    "es": (
        "mar, 20 oct 2026, 15:05 (Europe/Paris)",
        "mar, 20 oct 2026",
        "15:05 (Europe/Paris)",
        "mar, 20 oct 2026, 15:05–17:00 (Europe/Paris)",
    ),
    "ar": (
        "الثلاثاء، 20 أكتوبر 2026، 15:05 (Europe/Paris)",
        "الثلاثاء، 20 أكتوبر 2026",
        "15:05 (Europe/Paris)",
        "الثلاثاء، 20 أكتوبر 2026، 15:05–17:00 (Europe/Paris)",
    ),
}


@pytest.mark.parametrize("language", list(RENDERED))
def test_each_language_has_one_format(language: str) -> None:
    translator = Translator(language)
    zone = "Europe/Paris"
    assert (
        translator.format_datetime(MOMENT, zone),
        translator.format_date(MOMENT, zone),
        translator.format_time(MOMENT, zone),
        translator.format_range(MOMENT, LATER, zone),
    ) == RENDERED[language]


@pytest.mark.parametrize("language", list(RENDERED))
def test_24_hour_clock_and_no_us_order(language: str) -> None:
    evening = datetime(2026, 3, 4, 21, 30, tzinfo=UTC)
    text = Translator(language).format_datetime(evening, "UTC")
    assert "21:30" in text
    assert not re.search(r"\b(AM|PM)\b|\b[ap]\.?m\.?\b|[صم]$", text.removesuffix(" (UTC)"))
    assert "3/4" not in text and "03/04" not in text


def test_arabic_uses_the_arabic_comma_and_western_digits() -> None:
    text = Translator("ar").format_datetime(MOMENT, "Africa/Tunis")
    assert "،" in text and "," not in text
    assert not re.search("[\u0660-\u0669]", text)  # no Arabic-Indic digits: see docs/style.md


def test_a_range_over_two_days_gives_both_dates() -> None:
    assert Translator("en").format_range(MOMENT, NEXT_DAY, "Europe/Paris") == (
        "Tue, 20 Oct 2026, 15:05 – Wed, 21 Oct 2026, 09:30 (Europe/Paris)"
    )
    assert dates.day_range_text(date(2026, 10, 20), date(2026, 10, 22), "fr") == "20–22 oct. 2026"


def test_the_zone_is_the_readers_and_a_fixed_offset_is_shown_as_an_offset() -> None:
    translator = Translator("en")
    assert translator.format_time(MOMENT, "America/Bogota") == "08:05 (America/Bogota)"
    assert translator.format_time(MOMENT, "Etc/GMT-3") == "16:05 (UTC+03:00)"
    assert translator.format_time(MOMENT, "Africa/Lusaka", show_zone=False) == "15:05"


def test_dates_given_to_a_message_are_written_the_readers_way() -> None:
    error = UsageError("Event #{id} has no session on {date}.", id=3, date=date(2026, 12, 3))
    assert isinstance(error.message, str)
    assert Translator("fr").gettext(error.message, **error.values).endswith("jeu. 3 déc. 2026.")
    wall = datetime(2027, 3, 28, 2, 30)  # a naive wall-clock time, as an error names it
    assert Translator("es").gettext("{time}", time=wall) == "dom, 28 mar 2027, 2:30"


# The scan -----------------------------------------------------------------------------------

HAND_MADE = re.compile(
    r"strftime\(|\{[^{}]*:%[YmdHMSbBaAIpy]|from babel\.dates import|babel\.dates\."
    r"|\b\w+=[^,=()]*\.isoformat\(\)"
)
"""strftime, an f-string date spec, Babel's date functions, or an ISO date handed to a message."""

MACHINE_FORMATS: dict[str, tuple[str, ...]] = {
    # the one place that formats dates for people
    "bot/core/dates.py": ("from babel.dates import",),
    # zone names, not dates
    "bot/core/zone_names.py": ("from babel.dates import get_timezone_location",),
    # durations (format_timedelta), not dates
    "bot/core/i18n.py": ("from babel.dates import format_timedelta",),
    "bot/features/events/reminders.py": ("moment.strftime('%Y%m%dT%H%MZ')",),  # an outbox key
    "bot/features/events/calendar.py": (":%Y%m%dT%H%M%S}@champions-bot",),  # an .ics UID
    "bot/features/events/dates.py": ('key_suffix=f":{moment:%Y%m%dT%H%M}"',),  # an outbox key
    # audit data are stored ISO; /admin audit shows them through the translator
    "bot/features/events/admin_commands.py": (
        "starts_at=event.starts_at.isoformat()",
        "starts_at=moment.isoformat()",
    ),
    # a stored setting, not a message
    "bot/features/networking/admin_commands.py": ('settings.time_of_day = when.strftime("%H:%M")',),
    # an export's data field
    "bot/features/contributions/exports.py": (
        "date=(row.reviewed_at or row.updated_at).date().isoformat()",
    ),
}


def test_no_hand_made_date_formats_in_the_code() -> None:
    found = []
    for folder in ("bot", "adapters"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            allowed = MACHINE_FORMATS.get(where, ())
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HAND_MADE.search(text) and not any(a in text for a in allowed):
                    found.append(f"{where}:{number}: {text.strip()}")
    assert not found, "format dates with Translator.format_* (bot/core/dates.py):\n" + "\n".join(
        found
    )


def test_the_scan_catches_what_it_should() -> None:
    for bad in (
        'when = local.strftime("%Y-%m-%d")',
        'text = f"{moment:%d/%m %H:%M}"',
        "from babel.dates import format_date",
        'raise UsageError("...", date=day.isoformat())',
    ):
        assert HAND_MADE.search(bad), bad


def test_every_allowance_is_still_used() -> None:
    """An allowance for a line that no longer exists would let a hand-made format back in
    under its cover: each one must match a line of its file."""
    stale = []
    for where, allowed in MACHINE_FORMATS.items():
        path = ROOT / where
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        stale += [f"{where}: {a}" for a in allowed if a not in text]
    assert not stale, "stale allowances in MACHINE_FORMATS:\n" + "\n".join(stale)
