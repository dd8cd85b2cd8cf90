"""Whose profile a member may read, and names typed with wildcards, on both databases.

A profile shows organisation, country and bio: members read those of people they share a
community with, and of people who agreed to publish their profile; anyone else is "not found",
word for word like someone who does not exist. The secretariat reads everyone's.
"""

from __future__ import annotations

from bot.app import BotApp
from bot.core.clock import ManualClock
from tests.helpers import say, texts
from tests.two_communities import SECRETARY, seed, start


async def profile(app: BotApp, reader: str, name: str) -> str:
    return texts(await say(app, reader, f"/profile {name}"))


async def test_profiles_are_read_within_shared_communities_and_when_published(
    db_url: str, clock: ManualClock
) -> None:
    app = await start(db_url, clock)
    try:
        a, b = await seed(app)
        nobody = await profile(app, b.people.champion, "Nobody Known")
        assert nobody == "I found no member called “Nobody Known”."
        amina = a.people.champion.title()  # A's champion: organisation, bio, not published
        for reader in (b.people.champion, b.people.asker):  # members of B only
            shown = await profile(app, reader, amina)
            assert shown == nobody.replace("Nobody Known", amina), reader
            assert "Kampala" not in shown
        # within a shared community: A's members read each other, and so does B's admin, who
        # joined A by writing in its chat
        for reader in (a.people.asker, a.people.published, b.people.admin, SECRETARY):
            shown = await profile(app, reader, amina)
            assert "Kampala City Council" in shown and "Kampala budgets" in shown, reader
        # a published profile is for everyone
        paula = await profile(app, b.people.asker, a.people.published.title())
        assert "Kampala Women's Network" in paula
        rania = await profile(app, a.people.champion, b.people.champion.title())
        assert rania == nobody.replace("Nobody Known", "Rania")
    finally:
        await app.close()


async def test_wildcards_typed_in_a_member_name_match_only_themselves(app: BotApp) -> None:
    for name in ("ana", "bea", "a_b"):
        await say(app, name, "/start")
    for typed in ("%", "_", "%a%", "__"):
        said = texts(await say(app, "sofia", f"/champion approve {typed}"))
        assert said == f"I found no member called “{typed}”.", typed
        assert texts(await say(app, "ana", f"/profile {typed}")) == said
    # the underscore is a letter like any other: "A_" is the one member whose name starts so
    assert "A_B is now a champion" in texts(await say(app, "sofia", "/champion approve A_"))
    assert "could be several" in texts(await say(app, "sofia", "/champion approve A"))
