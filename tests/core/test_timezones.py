"""Time zones as people type them: cities, countries, offsets, abbreviations, old names.

Checked where members meet them: the ``timezones`` autocomplete source and ``/timezone``
through the router, in the four languages.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

from bot.app import BotApp
from bot.core import zone_names
from bot.core.i18n import Translator
from bot.core.suggestions import Suggestion, SuggestionQuery, suggest
from bot.core.timezones import ABBREVIATIONS, exact_zone, fixed_zone, suggest_zones
from bot.core.vocab import zones_for_country
from tests.helpers import actor, say, texts

NOW = datetime.now(UTC)


async def offered(app: BotApp, typed: str, language: str = "en") -> list[Suggestion]:
    """What the autocomplete offers a member who typed ``typed``."""
    query = SuggestionQuery(app, actor("amina"), typed, Translator(language))
    return await suggest(query, "timezones")


async def timezone_of(app: BotApp, name: str) -> str | None:
    async with app.database.unit_of_work() as uow:
        member = await uow.members.by_account("console", name)
        return member.timezone if member else None


def offset_now(zone: str) -> timedelta | None:
    return NOW.astimezone(ZoneInfo(zone)).utcoffset()


# The autocomplete


async def test_an_offset_offers_places_at_that_offset_and_the_fixed_zone_that_really_is_it(
    app: BotApp,
) -> None:
    for typed in ("GMT+3", "UTC+3", "+03:00", "utc +3", "GMT+03:00"):
        found = await offered(app, typed)
        values = [s.value for s in found]
        assert "Etc/GMT+3" not in values  # that one is UTC-3: the trap this test is about
        assert all(offset_now(value) == timedelta(hours=3) for value in values), values
        assert values[:2] == ["Europe/Istanbul", "Africa/Nairobi"], typed
        assert "Asia/Riyadh" in values[:5], typed
        assert found[0].label == "Europe/Istanbul (UTC+03:00)"
        assert found[-1] == Suggestion("UTC+03:00 (no daylight saving)", "Etc/GMT-3")


async def test_an_offset_with_many_places_still_offers_the_fixed_zone(app: BotApp) -> None:
    values = [s.value for s in await offered(app, "UTC+1")]
    assert len(values) == 25 and values[-1] == "Etc/GMT-1"


async def test_a_fixed_zone_is_never_offered_without_saying_what_it_means(app: BotApp) -> None:
    for typed in ("GMT+3", "UTC-5", "+0", "Etc/GMT+3", "utc", "GMT", "EST", ""):
        for suggestion in await offered(app, typed, "fr"):
            if suggestion.value.startswith("Etc/"):
                hours = -int(suggestion.value.removeprefix("Etc/GMT"))
                assert suggestion.label == f"UTC{hours:+03d}:00 (sans heure d'été)"


FIRST_ZONE = [
    ("+05:45", "Asia/Kathmandu"),
    ("UTC+0545", "Asia/Kathmandu"),
    ("Tunis", "Africa/Tunis"),
    ("tun", "Africa/Tunis"),
    ("Túnez", "Africa/Tunis"),
    ("تونس", "Africa/Tunis"),
    ("Tunisie", "Africa/Tunis"),
    ("Tunisia", "Africa/Tunis"),
    ("Bogotá", "America/Bogota"),
    ("bogota", "America/Bogota"),
    ("bogata", "America/Bogota"),
    ("بوغوتا", "America/Bogota"),
    ("rarotonga", "Pacific/Rarotonga"),
    ("Îles Cook", "Pacific/Rarotonga"),
    ("US/Eastern", "America/New_York"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("kiev", "Europe/Kyiv"),
    ("EST", "America/New_York"),
    ("Estados Unidos", "America/New_York"),
    ("USA", "America/New_York"),
    ("Brasil", "America/Sao_Paulo"),
    ("القاهرة", "Africa/Cairo"),
    ("Lusaka", "Africa/Lusaka"),
]
"""What a member types → the zone the autocomplete must offer first."""


async def test_cities_countries_offsets_and_old_names_find_the_real_zone_first(
    app: BotApp,
) -> None:
    for typed, zone in FIRST_ZONE:
        assert (await offered(app, typed))[0].value == zone, typed


async def test_abbreviations_offer_places_not_the_abbreviation(app: BotApp) -> None:
    for typed in ("EST", "MST", "HST", "CET", "GMT"):
        values = [s.value for s in await offered(app, typed)]
        assert typed not in values and values, typed
        assert values[0] != "UTC" and "/" in values[0]


async def test_labels_give_the_city_in_the_readers_language_and_the_offset(app: BotApp) -> None:
    for language, label in [
        ("en", "Africa/Tunis (UTC+01:00)"),
        ("fr", "Africa/Tunis (UTC+01:00)"),
        ("es", "Africa/Tunis · Túnez (UTC+01:00)"),
        ("ar", "Africa/Tunis · تونس (UTC+01:00)"),
    ]:
        assert (await offered(app, "Tunis", language))[0] == Suggestion(label, "Africa/Tunis")


async def test_every_value_offered_is_accepted_as_it_is(app: BotApp) -> None:
    for typed in ("", "GMT+3", "+05:45", "UTC-12", "tun", "Brasil", "EST", "GMT", "US/Eastern",
                  "utc", "a"):  # fmt: skip
        found = await offered(app, typed)
        assert found and len(found) <= 25, typed
        assert all(len(s.label) <= 100 and len(s.value) <= 100 for s in found)
        assert [exact_zone(s.value) for s in found] == [s.value for s in found]


# The rules behind them


def test_every_place_zone_and_every_alias_is_accepted_with_its_own_clock() -> None:
    for zone in zone_names.place_zones():
        assert exact_zone(zone) == zone and exact_zone(zone.lower()) == zone
    table = resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text()
    later = NOW + timedelta(days=182)
    for alias in re.findall(r"^L \S+ (\S+)$", table, flags=re.MULTILINE):
        exact = exact_zone(alias)
        if alias.upper() in ABBREVIATIONS:
            assert exact is None, alias
            continue
        assert exact is not None, alias
        for moment in (NOW, later):
            assert moment.astimezone(ZoneInfo(exact)).utcoffset() == (
                moment.astimezone(ZoneInfo(alias)).utcoffset()
            ), alias


def test_fixed_zones_have_the_sign_people_mean() -> None:
    for hours in range(-12, 15):
        zone = fixed_zone(timedelta(hours=hours))
        assert zone is not None
        assert offset_now(zone) == timedelta(hours=hours), zone
    assert fixed_zone(timedelta(hours=5, minutes=45)) is None


def test_the_abbreviation_table_names_real_places() -> None:
    for places in ABBREVIATIONS.values():
        assert all(exact_zone(zone) == zone for zone in places), places


def test_a_country_offers_its_most_shared_clock_first() -> None:
    assert zones_for_country("US")[0] == "America/New_York"
    assert zones_for_country("BR")[0] == "America/Sao_Paulo"
    assert zones_for_country("TN") == ["Africa/Tunis"]
    assert suggest_zones("Estados Unidos")[:2] == ["America/New_York", "America/Chicago"]


# /timezone, through the router


REFUSALS = [
    ("Tunis", "en", "“Tunis” is not a time zone I know. Did you mean Africa/Tunis?"),
    ("Tunis", "fr", "« Tunis ». Vouliez-vous dire Africa/Tunis ?"),
    ("Tunisie", "fr", "« Tunisie ». Vouliez-vous dire Africa/Tunis ?"),
    ("Túnez", "es", "«Túnez». ¿Quisiste decir Africa/Tunis?"),
    ("تونس", "ar", "«تونس». هل تقصد Africa/Tunis؟"),
    ("Bogotá", "es", "«Bogotá». ¿Quisiste decir America/Bogota?"),
    ("bogota", "en", "Did you mean America/Bogota?"),
    ("rarotonga", "en", "Did you mean Pacific/Rarotonga?"),
    ("rarotonga", "ar", "هل تقصد Pacific/Rarotonga؟"),
    (
        "GMT+3",
        "en",
        "“GMT+3” is an offset, not a place. Places at UTC+03:00 now: Europe/Istanbul, "
        "Africa/Nairobi, Europe/Moscow. To stay at UTC+03:00 all year, with no daylight "
        "saving, use Etc/GMT-3.",
    ),
    ("UTC+3", "es", "Lugares en UTC+03:00 ahora: Europe/Istanbul"),
    ("UTC+3", "fr", "utilisez Etc/GMT-3."),
    ("+05:45", "ar", "الأماكن التي توقيتها الآن UTC+05:45: Asia/Kathmandu."),
    ("+05:45", "en", "Places at UTC+05:45 now: Asia/Kathmandu."),
    ("EST", "en", "“EST” means UTC-05:00 all year, with no daylight saving"),
    ("EST", "fr", "« EST » signifie UTC-05:00 toute l'année"),
    ("CET", "es", "«CET» es una abreviatura, no un lugar"),
    ("HST", "ar", "Pacific/Honolulu (UTC-10:00)"),
]
"""What a member types to /timezone, in which language, and what the reply must say."""


async def test_timezone_refuses_what_is_not_a_zone_with_the_zones_it_may_mean(
    app: BotApp,
) -> None:
    await say(app, "amina", "/timezone Africa/Lusaka")
    for typed, language, expected in REFUSALS:
        reply = texts(await say(app, "amina", f"/timezone {typed}", locale=language))
        assert expected in reply, (typed, language, reply)
        assert "Etc/GMT+3" not in reply
    assert await timezone_of(app, "amina") == "Africa/Lusaka"  # nothing changed


async def test_timezone_offers_a_suggestion_for_est_that_follows_summer_time(app: BotApp) -> None:
    reply = texts(await say(app, "amina", "/timezone EST"))
    assert "America/New_York (UTC-0" in reply


async def test_old_names_are_stored_under_todays_name(app: BotApp) -> None:
    for typed, stored in [
        ("US/Eastern", "America/New_York"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("europe/kiev", "Europe/Kyiv"),
        ("Etc/UTC", "UTC"),
        ('"america/new york"', "America/New_York"),
    ]:
        reply = texts(await say(app, "amina", f"/timezone {typed}"))
        assert f"Your time zone is now {stored}." in reply
        assert await timezone_of(app, "amina") == stored


async def test_a_chosen_fixed_zone_is_confirmed_with_what_it_means(app: BotApp) -> None:
    for language, said in [
        ("en", "Etc/GMT-3 (UTC+03:00, no daylight saving)"),
        ("fr", "Etc/GMT-3 (UTC+03:00, sans heure d'été)"),
        ("es", "Etc/GMT-3 (UTC+03:00, sin horario de verano)"),
        ("ar", "Etc/GMT-3 (UTC+03:00، بدون توقيت صيفي)"),
    ]:
        name = f"amina-{language}"
        reply = texts(await say(app, name, "/timezone Etc/GMT-3", locale=language))
        assert said in reply
        assert await timezone_of(app, name) == "Etc/GMT-3"
        assert said in texts(await say(app, name, "/profile", locale=language))
