"""Every command that names a member finds them the same way, on SQLite and PostgreSQL.

The registry is walked: each command with a member argument (``ArgKind.MEMBER``) must find
Lucía Gómez by her @handle, by her name typed without accents or capitals, and Amina by her
first name alone; "lucia" names two members, so every command answers with the choice (both
listed, with what tells them apart) instead of picking one. A command added later with a
member argument is walked too.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.arguments import ArgKind
from bot.core.clock import ManualClock
from bot.core.messages import Request, RequestKind
from storage.models import Account
from tests.admin_walk import command_line
from tests.conftest import make_settings
from tests.helpers import actor, private, texts

NOT_FOUND = "I found no member called"
SEVERAL = "could be several members"


async def _say(app: BotApp, user: str, name: str, line: str) -> str:
    command, _, rest = line[1:].partition(" ")
    who = actor(user, admin=False)
    who = type(who)(who.platform, user, name)
    request = Request(who, private(user), RequestKind.COMMAND, command=command, text=rest)
    return texts(await app.handle(request))


async def test_every_member_argument_finds_by_handle_first_name_and_accentless_name(
    db_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(db_url), clock=clock)
    try:
        for user, name in (
            ("lg", "Lucía Gómez"),
            ("lp", "Lucía Pérez"),
            ("ao", "Amina Ouédraogo"),
            ("sofia", "Sofia"),
        ):
            await _say(app, user, name, "/start")
        async with app.unit_of_work() as uow:
            account = await uow.session.scalar(
                select(Account).where(Account.platform_user_id == "lg")
            )
            assert account is not None
            account.username = "lucia_g"
        specs = [
            (spec, arg.name)
            for spec in app.registry.all()
            for arg in spec.args
            if arg.kind is ArgKind.MEMBER
        ]
        names = {spec.name for spec, _ in specs}
        assert {"profile", "champion approve", "admin add", "meet not"} <= names, names
        refused_first: set[str] = set()
        for spec, argument in specs:
            line = command_line(app.registry, spec, {argument: "zoé"})
            if NOT_FOUND not in await _say(app, "sofia", "Sofia", line):
                refused_first.add(spec.name)  # its other argument is checked before the member
                continue
            for typed in ("@lucia_g", "lucia gomez", "LUCIA GÓMEZ", "amina", "Ouedraogo"):
                line = command_line(app.registry, spec, {argument: typed})
                said = await _say(app, "sofia", "Sofia", line)
                assert NOT_FOUND not in said and SEVERAL not in said, (line, said)
            line = command_line(app.registry, spec, {argument: "lucia"})
            said = await _say(app, "sofia", "Sofia", line)
            assert SEVERAL in said and "Lucía Gómez" in said and "Lucía Pérez" in said, line
            assert "@lucia_g" in said, said  # the handle tells them apart
        assert refused_first == {"mentor pin"}  # "There is no mentorship #1": no member asked
    finally:
        await app.close()
