"""Every command group answers every role (issue 19, D): a bare or mistyped group is never
"unknown". It lists what the reader may run, suggests the nearest subcommand, or says who it
is for, as ``/call`` does, in the reader's language."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.features import build_registry
from tests.helpers import say, texts

GROUPS = sorted({spec.path[0] for spec in build_registry().all() if len(spec.path) > 1})
UNKNOWN = {
    "en": "I don't know the command",
    "es": "No conozco el comando",
    "fr": "Je ne connais pas la commande",
}


async def _roles(app: BotApp) -> dict[str, str]:
    """Who plays each role: a guest never seen, a member, a champion, an admin."""
    await say(app, "marta", "/profile set country Colombia")
    await say(app, "carla", "/profile set country Chile")
    await say(app, "sofia", "/champion approve carla")
    return {"guest": "nuevo", "member": "marta", "champion": "carla", "admin": "sofia"}


def test_the_groups_are_all_found() -> None:
    assert {"mentor", "meet", "call", "webinar", "champion"} <= set(GROUPS)


@pytest.mark.parametrize("language", ["en", "es"])
async def test_no_group_is_unknown_to_any_role(app: BotApp, language: str) -> None:
    roles = await _roles(app)
    unknown = UNKNOWN[language]
    for role, name in roles.items():
        for group in GROUPS:
            for typed in (f"/{group}", f"/{group} solicitr"):
                reply = texts(await say(app, name, typed, locale=language))
                assert unknown not in reply, (role, typed, reply)


async def test_member_hears_who_mentor_and_meet_are_for(app: BotApp) -> None:
    await _roles(app)
    for typed in ("/mentor", "/meet", "/mentor solicitr"):
        reply = texts(await say(app, "marta", typed, locale="es"))
        assert "campeon" in reply.casefold() or "campeón" in reply.casefold(), reply
        assert "/comment" not in reply
    assert "approved champions" in texts(await say(app, "marta", "/mentor"))
    assert "for the network's admins" in texts(await say(app, "carla", "/call"))
