"""``/call pick`` finds volunteers as every command finds members (issue 19, G): by @handle,
first name or surname, accents and case aside, with a choice between namesakes, and only
among the volunteers."""

from __future__ import annotations

from bot.app import BotApp
from tests.helpers import say, texts

ADMIN = "sofia"
PEOPLE = {  # console id: (display name, handle)
    "lucia": ("Lucía Gómez", "lugo"),
    "lucia2": ("Lucía Pérez", "luperez"),
    "amina": ("Amina Ben Salah", "amina_bs"),
    "outsider": ("Zoé Martin", "zoem"),
}


async def _volunteers(app: BotApp, volunteering: tuple[str, ...]) -> None:
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for user_id, (name, handle) in PEOPLE.items():
            member = await uow.members.create(
                display_name=name, platform="console", platform_user_id=user_id,
                username=handle, language="en", now=now,
            )  # fmt: skip
            member.expertise = ["legal_quotas"]
            await uow.communities.set_role(community, member, "champion", now)
    await say(app, ADMIN, '/call add reviewer 2026-12-01 18:00 "Chapter 3" seats=2')
    for user_id in volunteering:
        assert "You volunteered" in texts(await say(app, user_id, "/call volunteer 1"))


async def test_pick_by_accentless_surname_and_handle(app: BotApp) -> None:
    await _volunteers(app, ("lucia", "lucia2", "amina"))
    picked = texts(await say(app, ADMIN, "/call pick 1 gomez, @amina_bs"))
    assert "Chosen for “Chapter 3”: Lucía Gómez and Amina Ben Salah." in picked, picked


async def test_namesakes_are_offered_to_choose_from(app: BotApp) -> None:
    await _volunteers(app, ("lucia", "lucia2", "amina"))
    both = texts(await say(app, ADMIN, "/call pick 1 lucia"))
    assert "could be several members" in both
    assert "@lugo" in both and "@luperez" in both
    assert "Chosen for “Chapter 3”: Lucía Pérez." in texts(
        await say(app, ADMIN, "/call pick 1 LUCIA perez")
    )


async def test_only_volunteers_are_found(app: BotApp) -> None:
    await _volunteers(app, ("lucia", "amina"))
    refused = texts(await say(app, ADMIN, "/call pick 1 Zoe"))
    assert "not one of the volunteers" in refused
    assert "Lucía Gómez (#" in refused
