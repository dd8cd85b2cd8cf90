"""The network's shared vocabulary: world regions, member roles, expertise themes.

Labels are msgids (English), translated through the catalogs when shown.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from bot.core.arguments import Choice
from bot.core.i18n import N_, SUPPORTED_LANGUAGES
from bot.core.zone_names import country_zones

REGIONS: tuple[Choice, ...] = (
    Choice("latin_america", N_("Latin America")),
    Choice("west_central_africa", N_("West and Central Africa")),
    Choice("east_southern_africa", N_("East and Southern Africa")),
    Choice("mena", N_("North Africa and Middle East")),
    Choice("asia_pacific", N_("Asia Pacific")),
    Choice("north_america_europe", N_("North America and Europe")),
)
"""The six world regions of the CIB Gender Hub Champions Group (two champions each)."""

REGION_CODES: tuple[str, ...] = tuple(choice.value for choice in REGIONS)

ROLES: tuple[Choice, ...] = (
    Choice("elected", N_("Elected representative")),
    Choice("association", N_("Local government association official")),
    Choice("specialist", N_("Technical specialist")),
    Choice("other", N_("Other")),
)

THEMES: tuple[Choice, ...] = (
    Choice("gender_mainstreaming", N_("Gender mainstreaming")),
    Choice("governance_leadership", N_("Leadership and good governance")),
    Choice("legal_quotas", N_("Legal barriers and quotas")),
    Choice("political_participation", N_("Participation in politics")),
    Choice("financial_obstacles", N_("Financial obstacles")),
    Choice("trust_gap", N_("Community trust gap")),
    Choice("gender_budgeting", N_("Gender-responsive budgeting")),
    Choice("gbv", N_("Gender-based violence and harassment")),
    Choice("safe_spaces", N_("Safe public spaces")),
    Choice("urban_planning", N_("Urban planning")),
    Choice("data", N_("Gender data and statistics")),
    Choice("lga_change", N_("LGA institutional change")),
    Choice("mentorship", N_("Mentorship and networks")),
    Choice("advocacy", N_("Advocacy")),
    Choice("capacity_building", N_("Capacity building and training")),
    Choice("public_services", N_("Gender-responsive public services")),
    Choice("economic_empowerment", N_("Women's economic empowerment")),
)
"""Expertise themes: the Toolkit's areas, the Connective Cities themes and hub subjects."""

THEME_CODES: tuple[str, ...] = tuple(choice.value for choice in THEMES)

_REGION_COUNTRIES = {
    "latin_america": "AR BO BR CL CO CR CU DO EC SV GT HN MX NI PA PY PE UY VE HT JM TT BZ GY SR "
    "PR BS BB",
    "west_central_africa": "BJ BF CV CI GM GH GN GW LR ML NE NG SN SL TG CM CF TD CG CD GA GQ ST",
    "east_southern_africa": "KE UG TZ RW BI ET ER DJ SO SS ZA ZM ZW MW MZ AO NA BW LS SZ MG MU SC "
    "KM",
    "mena": "DZ EG LY MA TN MR SD JO LB PS SY IQ SA AE QA KW BH OM YE IR TR",
    "asia_pacific": "CN JP KR KP MN IN PK BD LK NP BT MV AF ID MY PH TH VN KH LA MM SG BN TL AU "
    "NZ FJ PG WS TO VU SB KI CK NU PW FM MH NR TV KZ UZ KG TJ TM TW HK",
    "north_america_europe": "US CA GB IE FR ES PT DE NL BE LU CH AT IT MT GR CY SE NO DK FI IS "
    "EE LV LT PL CZ SK HU SI HR BA RS ME MK AL XK BG RO MD UA BY RU GE AM AZ AD MC SM LI",
}
COUNTRY_REGION: dict[str, str] = {
    country: region for region, codes in _REGION_COUNTRIES.items() for country in codes.split()
}


def label(choices: tuple[Choice, ...], value: str | None) -> str | None:
    """The untranslated label of ``value`` in ``choices``."""
    for choice in choices:
        if choice.value == value:
            return choice.label
    return None


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in SUPPORTED_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def country_code(value: str) -> str | None:
    """An ISO country code from a code or a country name in en/fr/es/ar."""
    text = value.strip()
    if len(text) == 2 and text.upper() in Locale.parse("en").territories:
        return text.upper()
    return _country_names().get(text.casefold())


def country_name(code: str, language: str) -> str:
    return Locale.parse(language).territories.get(code, code)


def region_for_country(code: str | None) -> str | None:
    return COUNTRY_REGION.get(code or "")


def zones_for_country(code: str | None) -> list[str]:
    """The time zones of a country, the most shared clocks first (``US`` starts with
    ``America/New_York``, ``BR`` with ``America/Sao_Paulo``), to offer as choices."""
    return list(country_zones().get(code or "", ()))
