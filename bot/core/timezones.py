"""Turning what people type into real time zones.

People type ``Tunis``, ``Bogotá``, ``تونس``, ``Tunisie``, ``GMT+3``, ``+05:45``, ``EST`` or
``US/Eastern``. Only a zone's exact name is accepted (any case; an old name becomes today's:
``Asia/Calcutta`` → ``Asia/Kolkata``); anything else is refused with the zones it most likely
means, and the autocomplete offers the same zones.

Two traps are avoided on purpose:

- ``Etc/GMT+3`` is UTC−3 (POSIX counts west as positive), so a fixed offset is never offered
  without saying what it means (``UTC+03:00 (no daylight saving)`` is ``Etc/GMT-3``), and
  places come first: a place's zone follows its summer time, a fixed offset does not.
- ``EST``, ``CET``, ``GMT`` are abbreviations, not places: clocks change in summer in some
  places that use them and not in others, so they are explained, not accepted.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime, timedelta
from functools import cache

from bot.core import zone_names
from bot.core.errors import UsageError
from bot.core.i18n import N_, Translator

UTC_NAMES = frozenset({
    "utc", "etc/utc", "etc/uct", "uct", "universal", "etc/universal", "zulu", "etc/zulu",
    "etc/gmt", "etc/gmt+0", "etc/gmt-0", "etc/gmt0", "etc/greenwich", "greenwich", "gmt+0",
    "gmt-0", "gmt0",
})  # fmt: skip
"""Names of UTC itself (no offset, no summer time): all become ``UTC``."""

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "GMT": ("Europe/London", "Africa/Abidjan", "Africa/Accra", "Africa/Dakar", "UTC"),
    "BST": ("Europe/London",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "WET": ("Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"),
    "WEST": ("Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"),
    "CET": ("Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Africa/Tunis", "Africa/Algiers"),
    "CEST": ("Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome"),
    "MET": ("Europe/Paris", "Europe/Berlin", "Africa/Tunis"),
    "EET": ("Europe/Athens", "Africa/Cairo", "Europe/Kyiv", "Asia/Beirut", "Africa/Tripoli"),
    "EEST": ("Europe/Athens", "Africa/Cairo", "Europe/Kyiv", "Asia/Beirut"),
    "WAT": ("Africa/Lagos", "Africa/Kinshasa", "Africa/Luanda", "Africa/Douala"),
    "CAT": ("Africa/Maputo", "Africa/Lusaka", "Africa/Harare", "Africa/Lubumbashi"),
    "EAT": ("Africa/Nairobi", "Africa/Addis_Ababa", "Africa/Dar_es_Salaam", "Africa/Kampala"),
    "SAST": ("Africa/Johannesburg",),
    "MSK": ("Europe/Moscow",),
    "PKT": ("Asia/Karachi",),
    "NPT": ("Asia/Kathmandu",),
    "ICT": ("Asia/Bangkok", "Asia/Ho_Chi_Minh"),
    "WIB": ("Asia/Jakarta",),
    "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",),
    "PHT": ("Asia/Manila",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "AWST": ("Australia/Perth",),
    "ACST": ("Australia/Adelaide", "Australia/Darwin"),
    "AEST": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "AEDT": ("Australia/Sydney", "Australia/Melbourne"),
    "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",),
    "HST": ("Pacific/Honolulu",),
    "AKST": ("America/Anchorage",),
    "AKDT": ("America/Anchorage",),
    "PST": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana", "Asia/Manila"),
    "PDT": ("America/Los_Angeles", "America/Vancouver", "America/Tijuana"),
    "MST": ("America/Denver", "America/Phoenix", "America/Edmonton", "America/Hermosillo"),
    "MDT": ("America/Denver", "America/Edmonton"),
    "CST": ("America/Chicago", "America/Mexico_City", "America/Guatemala", "Asia/Shanghai"),
    "CDT": ("America/Chicago", "America/Havana"),
    "EST": ("America/New_York", "America/Toronto", "America/Panama", "America/Jamaica"),
    "EDT": ("America/New_York", "America/Toronto"),
    "AST": ("America/Halifax", "America/Puerto_Rico", "America/Santo_Domingo", "Asia/Riyadh"),
    "ADT": ("America/Halifax",),
    "NST": ("America/St_Johns",),
    "ART": ("America/Argentina/Buenos_Aires",),
    "BRT": ("America/Sao_Paulo",),
    "CLT": ("America/Santiago",),
    "COT": ("America/Bogota",),
    "PET": ("America/Lima",),
    "VET": ("America/Caracas",),
}
"""Abbreviations people write for a time zone → the places that most likely mean them."""

_OFFSET = re.compile(
    r"^(?:(?:utc|gmt)\s*)?([+\-−–])\s*(\d{1,2})(?:\s*[:.h]?\s*(\d{2}))?\s*$", re.IGNORECASE
)
_ETC_GMT = re.compile(r"^etc/gmt([+-])(\d{1,2})$")
_REFUSAL_LIST = 3
"""How many zones a refusal names: enough to choose, few enough to read."""

# Refusals. A list of zones is joined with commas, so only "Did you mean" needs one message
# per length (the "or" is translated with the sentence).
_NOT_A_ZONE = N_(
    "“{value}” is not a time zone I know. Use a name like Africa/Tunis or America/Bogota."
)
_DID_YOU_MEAN = (
    N_("“{value}” is not a time zone I know. Did you mean {first}?"),
    N_("“{value}” is not a time zone I know. Did you mean {first} or {second}?"),
    N_("“{value}” is not a time zone I know. Did you mean {first}, {second} or {third}?"),
)
_OFFSET_PLACES_AND_FIXED = N_(
    "“{value}” is an offset, not a place. Places at {offset} now: {zones}. To stay at "
    "{offset} all year, with no daylight saving, use {fixed}."
)
_OFFSET_PLACES = N_("“{value}” is an offset, not a place. Places at {offset} now: {zones}.")
_OFFSET_FIXED = N_(
    "“{value}” is an offset, not a place. To stay at {offset} all year, with no daylight "
    "saving, use {fixed}."
)
_FIXED_ABBREVIATION = N_(
    "“{value}” means {offset} all year, with no daylight saving, and it is not a place. "
    "Choose the place you are in: {zones}."
)
_ABBREVIATION = N_(
    "“{value}” is an abbreviation, not a place: clocks change in summer in some places that "
    "use it and not in others. Choose the place you are in: {zones}."
)
_FIXED_LABEL = N_("{offset} (no daylight saving)")
_FIXED_DESCRIPTION = N_("{zone} ({offset}, no daylight saving)")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def exact_zone(text: str) -> str | None:
    """The zone ``text`` names exactly, in today's spelling, or ``None``.

    Any case, spaces for underscores; an alias becomes the zone it means (``US/Eastern`` →
    ``America/New_York``); every name of UTC becomes ``UTC``; ``Etc/GMT-3`` stays (it is
    what the autocomplete offers as UTC+03:00). Abbreviations (``EST``) are not zones here.
    """
    key = text.strip().replace(" ", "_").casefold()
    if not key or key.upper() in ABBREVIATIONS:
        return None
    found = _zone_for_key(key)
    if found is None and key in zone_names.aliases():
        found = _zone_for_key(zone_names.aliases()[key].casefold())
    return found


def _zone_for_key(key: str) -> str | None:
    if key in zone_names.place_by_key():
        return zone_names.place_by_key()[key]
    if key in UTC_NAMES:
        return "UTC"
    match = _ETC_GMT.match(key)
    if match and 1 <= int(match.group(2)) <= (12 if match.group(1) == "+" else 14):
        return f"Etc/GMT{match.group(1)}{int(match.group(2))}"
    return None


def parse_offset(text: str) -> timedelta | None:
    """The UTC offset ``text`` writes (``UTC+3``, ``GMT-5``, ``+05:45``, ``+0545``), or ``None``."""
    match = _OFFSET.match(text.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) != "+" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return sign * timedelta(hours=hours, minutes=minutes)


def looks_like_zone(text: str) -> bool:
    """Whether ``text`` is an offset or an abbreviation: meant as a zone, though none."""
    return parse_offset(text) is not None or text.strip().upper() in ABBREVIATIONS


def offset_text(offset: timedelta) -> str:
    """``UTC+03:00``, ``UTC-05:00``, ``UTC+05:45``."""
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def fixed_zone(offset: timedelta) -> str | None:
    """The zone that is ``offset`` all year: ``UTC+3`` → ``Etc/GMT-3`` (the sign is POSIX's,
    inverted), ``UTC+0`` → ``UTC``; ``None`` for an offset no such zone has (``+05:45``)."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    if minutes % 60 or not -12 <= minutes // 60 <= 14:
        return None
    hours = -minutes // 60
    return f"Etc/GMT{'+' if hours > 0 else '-'}{abs(hours)}"


def current_offset(zone: str, now: datetime | None = None) -> timedelta:
    return _now(now).astimezone(zone_names.zone_info(zone)).utcoffset() or timedelta()


def zones_at(offset: timedelta, now: datetime | None = None) -> list[str]:
    """The places whose clocks show ``offset`` now, in list order (``UTC+3``: Istanbul,
    Nairobi, Moscow, Riyadh...)."""
    moment = _now(now)
    found = [z for z in zone_names.place_zones() if current_offset(z, moment) == offset]
    return zone_names.ranked(found, moment)


def _is_fixed(zone: str) -> bool:
    return zone == "UTC" or zone.startswith("Etc/")


def _by_name(text: str, now: datetime, *, near: bool = True) -> list[str]:
    """Places whose name, city or country (in any of the four languages) matches ``text``:
    exact names first, then names that start with it, then words that do, then names that
    contain it; a near spelling only when nothing else matched (``bogata``)."""
    typed = zone_names.fold(text)
    if not typed:
        return []
    table = zone_names.names()
    tiers: list[set[str]] = [set(), set(), set(), set()]
    for key, words in _words().items():
        if key == typed:
            tiers[0].update(table[key])
        elif key.startswith(typed):
            tiers[1].update(table[key])
        elif any(word.startswith(typed) for word in words):
            tiers[2].update(table[key])
        elif len(typed) >= 3 and typed in key:
            tiers[3].update(table[key])
    if near and not any(tiers) and len(typed) >= 3:
        for key in difflib.get_close_matches(typed, list(table), n=5, cutoff=0.75):
            tiers[3].update(table[key])
    found: list[str] = []
    for tier in tiers:
        found.extend(z for z in zone_names.ranked(tier, now) if z not in found)
    return found


@cache
def _words() -> dict[str, tuple[str, ...]]:
    """Each folded name and its words (``america/new york`` → america, new, york)."""
    return {key: tuple(re.split(r"[ /]", key)) for key in zone_names.names()}


def suggest_zones(text: str, now: datetime | None = None, *, limit: int = 25) -> list[str]:
    """At most ``limit`` zones ``text`` most likely means, best first: the exact zone; for an
    offset, the places at that offset now, then the fixed offset (kept however many places
    there are); for an abbreviation, the places that use it; then places by name, city or
    country. Nothing typed: one zone per clock."""
    moment = _now(now)
    typed = text.strip()
    if not typed:
        return zone_names.representatives(moment)[:limit]
    found: list[str] = []
    exact = exact_zone(typed)
    if exact is not None:
        found.append(exact)
    offset = parse_offset(typed)
    if offset is not None:
        found.extend(zones_at(offset, moment))
        fixed = fixed_zone(offset)
        if fixed is not None:
            found.append(fixed)
    meant = ABBREVIATIONS.get(typed.upper())
    found.extend(meant or ())
    if offset is None and meant is None:
        found.extend(_by_name(typed, moment, near=exact is None))
    unique = list(dict.fromkeys(found))
    fixed_last = [zone for zone in unique if _is_fixed(zone) and zone != exact][:limit]
    first = [zone for zone in unique if zone not in fixed_last]
    return first[: limit - len(fixed_last)] + fixed_last


def zone_label(zone: str, translator: Translator, now: datetime | None = None) -> str:
    """How a zone is shown in a list: ``Africa/Tunis · Túnez (UTC+01:00)`` (the city when
    the reader's language writes it otherwise), ``UTC+03:00 (no daylight saving)`` for
    ``Etc/GMT-3``, ``UTC`` for UTC."""
    if zone == "UTC":
        return zone
    offset = offset_text(current_offset(zone, now))
    if _is_fixed(zone):
        return translator.gettext(_FIXED_LABEL, offset=offset)
    city = zone_names.city(zone, translator.language)
    named = zone_names.fold(city) != zone_names.fold(zone.rsplit("/", 1)[-1])
    return f"{zone} · {city} ({offset})" if named else f"{zone} ({offset})"


def describe_zone(zone: str, translator: Translator) -> str:
    """A zone's name, with what it means when the name does not say it:
    ``Etc/GMT-3 (UTC+03:00, no daylight saving)``."""
    if zone == "UTC" or not _is_fixed(zone):
        return zone
    return translator.gettext(
        _FIXED_DESCRIPTION, zone=zone, offset=offset_text(current_offset(zone))
    )


def shown_zone(zone: str) -> str:
    """A zone as shown next to a time: its name, except a fixed offset, shown as the offset
    it is (``Etc/GMT-3`` → ``UTC+03:00``), since its name reads as the opposite."""
    if zone == "UTC" or not _is_fixed(zone):
        return zone
    return offset_text(current_offset(zone))


def require_zone(text: str, now: datetime | None = None) -> str:
    """The zone ``text`` names exactly (see :func:`exact_zone`), else a polite refusal."""
    zone = exact_zone(text)
    if zone is None:
        raise refusal(text, now)
    return zone


def refusal(text: str, now: datetime | None = None) -> UsageError:
    """Why ``text`` is not a zone, with the zones it most likely means."""
    moment = _now(now)
    value = text.strip()[:60]
    offset = parse_offset(value)
    if offset is not None:
        shown = offset_text(offset)
        places = ", ".join(zones_at(offset, moment)[:_REFUSAL_LIST])
        fixed = fixed_zone(offset)
        if places and fixed:
            return UsageError(
                _OFFSET_PLACES_AND_FIXED, value=value, offset=shown, zones=places, fixed=fixed
            )
        if places:
            return UsageError(_OFFSET_PLACES, value=value, offset=shown, zones=places)
        if fixed:
            return UsageError(_OFFSET_FIXED, value=value, offset=shown, fixed=fixed)
    meant = ABBREVIATIONS.get(value.upper())
    if meant is not None:
        return _abbreviation_refusal(value, meant, moment)
    hits = [zone for zone in suggest_zones(value, moment) if not _is_fixed(zone)]
    hits = hits[:_REFUSAL_LIST]  # a typed Etc name would have been exact: none to offer
    if not hits:
        return UsageError(_NOT_A_ZONE, value=value)
    names = dict(zip(("first", "second", "third"), hits, strict=False))
    return UsageError(_DID_YOU_MEAN[len(hits) - 1], value=value, **names)


def _abbreviation_refusal(value: str, meant: tuple[str, ...], now: datetime) -> UsageError:
    """``EST``: what it means (tzdata's ``EST`` is UTC−5 all year) and the places to choose."""
    zones = ", ".join(
        zone if zone == "UTC" else f"{zone} ({offset_text(current_offset(zone, now))})"
        for zone in meant[:4]
    )
    tz_name = value.upper()
    if tz_name.casefold() in zone_names.aliases():
        year = now.year
        winter, summer = (
            current_offset(tz_name, datetime(year, month, 1, tzinfo=UTC)) for month in (1, 7)
        )
        if winter == summer:
            return UsageError(
                _FIXED_ABBREVIATION, value=value, offset=offset_text(winter), zones=zones
            )
    return UsageError(_ABBREVIATION, value=value, zones=zones)
