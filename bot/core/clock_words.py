"""Times of day as people type them: ``14:00``, ``14.00``, ``14h``, ``14h30``, ``2pm``,
``2:30 pm`` (and Arabic-Indic digits), turned into ``HH:MM`` for the date-and-time argument."""

from __future__ import annotations

import re

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.h](\d{2})|h)?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)


def clock_time(text: str) -> str | None:
    """``text`` as ``HH:MM`` when it is a time of day, else ``None`` (``25h``, ``13pm``)."""
    found = _CLOCK.fullmatch(text.strip().translate(_DIGITS))
    if found is None:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower()
    bare = found[2] is None and not half and not text.strip().lower().endswith("h")
    if bare or minute > 59:
        return None  # a lone number is not a time
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    return f"{hour:02d}:{minute:02d}" if hour <= 23 else None
