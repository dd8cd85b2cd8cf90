"""A member is found by the @handle their platform gave them (issue 19, point 6).

Adapters put the platform's unique handle on the neutral ``Actor``; the router stores it on
the member's account, follows it when it changes (and only then writes), and lets an older
account that still held the same handle on that platform let go of it.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Actor, Platform, Request, RequestKind
from storage.models import Account
from tests.conftest import make_settings
from tests.helpers import counted, private, texts


async def _say(app: BotApp, user: str, name: str, line: str, handle: str | None = None) -> str:
    command, _, rest = line[1:].partition(" ")
    who = Actor(Platform.CONSOLE, user, name, username=handle)
    request = Request(who, private(user), RequestKind.COMMAND, command=command, text=rest)
    return texts(await app.handle(request))


async def _handles(app: BotApp) -> dict[str, str | None]:
    async with app.unit_of_work() as uow:
        accounts = await uow.session.scalars(select(Account))
        return {a.platform_user_id: a.username for a in accounts}


def test_the_actor_handle_is_cleaned_at_the_edge() -> None:
    assert Actor(Platform.CONSOLE, "1", "A", username=" @lucia_g\u202e ").username == "lucia_g"
    assert Actor(Platform.CONSOLE, "1", "A", username="@").username is None
    assert Actor(Platform.CONSOLE, "1", "A").username is None


async def test_profile_finds_a_member_by_the_handle_the_platform_gave(
    db_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        await _say(app, "lg", "Lucía Gómez", "/start", handle="lucia_g")
        await _say(app, "amina", "Amina", "/start")
        assert (await _handles(app))["lg"] == "lucia_g"
        found = await _say(app, "amina", "Amina", "/profile @Lucia_G")
        assert "Lucía Gómez" in found, found

        # Known and unchanged: no write at all on her next message.
        with counted(app) as statements:
            await _say(app, "lg", "Lucía Gómez", "/help", handle="lucia_g")
        assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE ACCOUNTS")]

        # She renames herself on the platform; the old handle no longer finds her.
        await _say(app, "lg", "Lucía Gómez", "/help", handle="lucia_gomez")
        assert (await _handles(app))["lg"] == "lucia_gomez"
        assert "Lucía Gómez" in await _say(app, "amina", "Amina", "/profile @lucia_gomez")
        assert "Lucía Gómez" not in await _say(app, "amina", "Amina", "/profile @lucia_g")

        # Someone else takes the freed handle: it now finds them, and only them.
        await _say(app, "other", "Lucía Pérez", "/start", handle="lucia_g")
        await _say(app, "lg", "Lucía Gómez", "/help", handle="lucia_g")  # she takes it back
        handles = await _handles(app)
        assert handles["lg"] == "lucia_g" and handles["other"] is None, handles
        found = await _say(app, "amina", "Amina", "/profile @lucia_g")
        assert "Lucía Gómez" in found and "Pérez" not in found, found
    finally:
        await app.close()
