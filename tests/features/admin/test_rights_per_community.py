"""Admin rights are per community, checked on the object's own community.

The other side of the walk (``test_other_community_walk.py``): a community's own admin still
acts on its things, the secretariat acts on every community's (its actions land in the log of
the object's community), and a new event is its community's alone until an admin opens it.
"""

from __future__ import annotations

from bot.core.clock import ManualClock
from tests.helpers import say, texts
from tests.two_communities import SECRETARY, seed, start


async def test_own_admins_and_the_secretariat_act_and_new_events_stay_in_their_community(
    db_url: str, clock: ManualClock
) -> None:
    app = await start(db_url, clock)
    try:
        a, b = await seed(app)
        amal, rania = a.people.admin, b.people.champion

        # A's admin acts on A's things (the walk's refusals are not a refusal of everything)
        feedback = texts(await say(app, amal, f"/webinar feedback {a.public_event}"))
        assert "The Kampala session on budgets was useful" in feedback
        moved = texts(
            await say(app, amal, f"/webinar reschedule {a.community_event} 2026-12-05 10:00")
        )
        assert "Moved." in moved
        assert "is approved" in texts(await say(app, amal, f"/story approve {a.story}"))

        # The secretariat, its private chat acting on B, acts on A's things too; A's log says so
        await say(app, SECRETARY, f"/community use {b.people.slug}")
        assert "is now closed" in texts(await say(app, SECRETARY, f"/thread close Q{a.question}"))
        status = texts(await say(app, SECRETARY, f"/announce status {a.announcement}"))
        assert f"Announcement #{a.announcement}" in status
        assert "Removed resource" in texts(await say(app, SECRETARY, f"/resource remove {1}"))
        log = texts(await say(app, amal, "/audit 50"))
        assert "thread.close" in log and "story.approved" in log and "event.reschedule" in log
        assert "thread.close" not in texts(await say(app, b.people.admin, "/audit 50"))

        # A's resource is curated by A's admin; the shared catalogue by the secretariat alone
        edited = texts(await say(app, amal, f"/resource edit {a.resource} year:2025"))
        assert f"Updated resource #{a.resource}" in edited
        assert "There is no resource #2." in texts(await say(app, amal, "/resource remove 2"))

        # A new event is for its community: B's members see A's open event, not the other
        listing = texts(await say(app, rania, "/webinars"))
        assert "Kampala open webinar" in listing and "Kampala members clinic" not in listing
        assert "There is no event" in texts(await say(app, rania, f"/rsvp {a.community_event}"))
        assert "You're in" in texts(await say(app, rania, f"/rsvp {a.public_event}"))
        # ...until an admin of A opens it to all
        assert "Saved." in texts(
            await say(app, amal, f"/webinar edit {a.community_event} audience all")
        )
        assert "Kampala members clinic" in texts(await say(app, rania, "/webinars"))
    finally:
        await app.close()
