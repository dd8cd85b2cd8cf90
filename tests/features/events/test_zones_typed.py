"""/webinar add and reschedule meet the same time zone rules as /timezone: an offset or an
abbreviation is explained with the zones it may mean, an old name is stored under today's."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import BotApp
from storage.models import Event
from tests.helpers import say, texts

ADD = '/webinar add "Gender budgeting in LGAs" 2026-11-26 14:00 {zone} 90m https://x.org/w'


async def _events(app: BotApp) -> list[Event]:
    async with app.database.unit_of_work() as uow:
        return list((await uow.session.scalars(select(Event))).all())


async def test_an_offset_is_refused_with_places_and_the_fixed_zone_that_is_it(app: BotApp) -> None:
    reply = texts(await say(app, "sofia", ADD.format(zone="UTC+1")))
    assert "“UTC+1” is an offset, not a place." in reply
    assert "use Etc/GMT-1." in reply and "Etc/GMT+1" not in reply
    assert await _events(app) == []


async def test_an_abbreviation_is_explained_in_the_admins_language(app: BotApp) -> None:
    reply = texts(await say(app, "sofia", ADD.format(zone="zone=EST"), locale="es"))
    assert "«EST» significa UTC-05:00 todo el año, sin horario de verano" in reply
    assert "America/New_York" in reply
    assert await _events(app) == []


async def test_an_old_name_is_stored_under_todays_name(app: BotApp) -> None:
    await say(app, "sofia", ADD.format(zone="Asia/Calcutta"))
    (event,) = await _events(app)
    assert event.timezone == "Asia/Kolkata"
    await say(app, "sofia", "/webinar reschedule 1 2026-11-27 15:00 US/Eastern")
    async with app.database.unit_of_work() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(Event))
        rescheduled = await uow.session.get(Event, event.id)
    assert count == 1 and rescheduled is not None
    assert rescheduled.timezone == "America/New_York"


async def test_times_for_a_fixed_offset_are_labelled_with_the_offset_it_is(app: BotApp) -> None:
    await say(app, "sofia", ADD.format(zone="Europe/Madrid"))
    await say(app, "lucia", "/timezone Etc/GMT-3")
    listing = texts(await say(app, "lucia", "/webinars"))
    assert "(times in UTC+03:00)" in listing and "16:00 (UTC+03:00)" in listing
    assert "Etc/GMT-3" not in listing
