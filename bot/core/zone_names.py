"""What the tz database and CLDR know about time zones, as tables that :mod:`timezones` searches.

- *place zones*: the zones that name a place (tzdata's ``zone.tab``, ``zone1970.tab`` and
  ``zonenow.tab``); the only zones offered to people besides ``UTC`` and the fixed offsets;
- *aliases*: older or other names (``US/Eastern``, ``Asia/Calcutta``) and the zone they mean
  now (tzdata's links, CLDR's aliases through Babel);
- the zones of each country, and the names people type for a zone in en/fr/es/ar: the city
  (CLDR's exemplar city), the country (CLDR's territory names) and the zone's own name;
- *clock groups*: zones whose clocks agree all year (same offset, same summer changes), so a
  list can show one zone per distinct clock before the others.

Every table is read once, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location

from bot.core.i18n import SUPPORTED_LANGUAGES

_ARABIC_LETTERS = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
_APOSTROPHES = re.compile(r"['’ʼ]")
_SEPARATORS = re.compile(r"[\s_.,\-]+")


def fold(text: str) -> str:
    """``text`` as it is compared: no accents, no case, no Arabic letter variants, and
    ``_ - . ,`` as single spaces (``Bogotá`` → ``bogota``, ``Port-au-Prince`` →
    ``port au prince``, ``أمريكا`` → ``امريكا``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = _APOSTROPHES.sub("", bare.casefold().translate(_ARABIC_LETTERS))
    return _SEPARATORS.sub(" ", bare).strip()


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


def _tab_rows(name: str) -> list[list[str]]:
    """The rows of one of tzdata's ``.tab`` files, split on tabs (comments left out)."""
    return [row.split("\t") for row in _tzdata_text(name).splitlines() if row and row[0] != "#"]


@cache
def _countries_served() -> dict[str, tuple[str, ...]]:
    """Zone → the countries whose clocks follow it (``zone1970.tab``, then ``zone.tab``)."""
    served: dict[str, tuple[str, ...]] = {}
    for codes, _where, zone, *_ in _tab_rows("zone1970.tab"):
        served[zone] = tuple(codes.split(","))
    for code, _where, zone, *_ in _tab_rows("zone.tab"):
        served.setdefault(zone, (code,))
    return served


@cache
def _zonenow() -> tuple[str, ...]:
    """One zone per distinct clock in use now and in the future (tzdata's ``zonenow.tab``)."""
    return tuple(row[2] for row in _tab_rows("zonenow.tab"))


@cache
def place_zones() -> frozenset[str]:
    """Every zone that names a place."""
    return frozenset(_countries_served()) | frozenset(_zonenow())


@cache
def place_by_key() -> dict[str, str]:
    """A place zone by its name in any case (``africa/tunis`` → ``Africa/Tunis``)."""
    return {zone.casefold(): zone for zone in place_zones()}


@cache
def aliases() -> dict[str, str]:
    """Other names of zones, case-folded, → the zone they mean now.

    CLDR's target is kept when it names a place (``Africa/Asmera`` → ``Africa/Asmara``),
    else tzdata's link (``US/Eastern`` → ``America/New_York``, ``UTC`` → ``Etc/UTC``).
    """
    found: dict[str, str] = {}
    for row in _tzdata_text("tzdata.zi").splitlines():
        if row.startswith("L "):
            _, target, name = row.split()
            found[name.casefold()] = target
    for name, target in get_global("zone_aliases").items():
        if target in place_zones():
            found[name.casefold()] = target
    return found


@cache
def _clock_groups(year: int) -> dict[str, tuple[timedelta | None, ...]]:
    """Zone → its offsets on the 1st and 16th of each month of ``year``: zones with the same
    tuple keep the same clock all year (this catches US and EU summer times apart)."""
    moments = [
        datetime(year, month, day, 12, tzinfo=UTC) for month in range(1, 13) for day in (1, 16)
    ]
    return {
        zone: tuple(moment.astimezone(zone_info(zone)).utcoffset() for moment in moments)
        for zone in place_zones()
    }


@cache
def zone_info(zone: str) -> ZoneInfo:
    """The zone's rules, kept (``ZoneInfo`` keeps only a few recent ones; lists read them all)."""
    return ZoneInfo(zone)


@cache
def _ranks(year: int) -> dict[str, int]:
    """Each place zone's position in lists: tzdata's pick for each distinct clock
    (``zonenow.tab``) first; the clocks most zones share first; then the zones that serve
    the most countries (``Africa/Nairobi`` serves ten)."""
    groups = _clock_groups(year)
    sizes = Counter(groups.values())
    served = _countries_served()
    picked = {zone: index for index, zone in enumerate(_zonenow())}

    def order(zone: str) -> tuple[bool, int, int, int, str]:
        return (
            zone not in picked,
            -sizes[groups[zone]],
            picked.get(zone, 0),
            -len(served.get(zone, ())),
            zone,
        )

    return {zone: rank for rank, zone in enumerate(sorted(place_zones(), key=order))}


def ranked(zones: list[str] | set[str] | tuple[str, ...], now: datetime) -> list[str]:
    """``zones`` (place zones) in list order; see :func:`_ranks`."""
    ranks = _ranks(now.year)
    return sorted(set(zones), key=lambda zone: (ranks.get(zone, len(ranks)), zone))


def representatives(now: datetime) -> list[str]:
    """tzdata's pick of one zone per distinct clock, in list order."""
    return ranked(_zonenow(), now)


@cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """Country code → its zones (``zone.tab``), in list order (``US`` starts with New York)."""
    zones: dict[str, list[str]] = {}
    for code, _where, zone, *_ in _tab_rows("zone.tab"):
        zones.setdefault(code, []).append(zone)
    now = datetime.now(UTC)
    return {code: tuple(ranked(found, now)) for code, found in zones.items()}


def city(zone: str, language: str) -> str:
    """The zone's city as ``language`` writes it (CLDR): ``Africa/Tunis`` → ``Túnez`` in es."""
    return get_timezone_location(zone, language, return_city=True)


COUNTRY_SHORT_NAMES = {
    "usa": "US", "us": "US", "eeuu": "US", "ee uu": "US", "uk": "GB", "uae": "AE",
    "eau": "AE", "drc": "CD", "rdc": "CD",
}  # fmt: skip
"""Short names of countries people type that CLDR's territory names do not hold."""


@cache
def names() -> dict[str, tuple[str, ...]]:
    """Every folded name people may type for a place → its zones.

    The zone (``africa/tunis``), its last part (``tunis``), its city in each language
    (``tunez``, ``تونس``), its country in each language (``tunisie``), and the last part of
    an alias that names a place (``calcutta``, ``saigon``).
    """
    found: dict[str, list[str]] = {}

    def add(name: str, zones: tuple[str, ...] | list[str]) -> None:
        key = fold(name)
        if key:
            found.setdefault(key, []).extend(z for z in zones if z not in found[key])

    for zone in sorted(place_zones()):
        add(zone, [zone])
        add(zone.rsplit("/", 1)[-1], [zone])
        for language in SUPPORTED_LANGUAGES:
            add(city(zone, language), [zone])
    for name, target in aliases().items():  # a place's own name wins: Lusaka is not Maputo
        last = name.rsplit("/", 1)[-1]
        if "/" in name and target in place_zones() and fold(last) not in found:
            add(last, [target])
    for language in SUPPORTED_LANGUAGES:
        territories = Locale.parse(language).territories
        for code, zones in country_zones().items():
            if code in territories:
                add(territories[code], zones)
    for short, code in COUNTRY_SHORT_NAMES.items():
        add(short, country_zones()[code])
    return {key: tuple(zones) for key, zones in found.items()}
