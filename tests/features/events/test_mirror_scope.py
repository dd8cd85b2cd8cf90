"""The Discord server's scheduled events show only what everyone in the server may see.

A guild scheduled event is visible to every member of the server, so an event of another
community, or one meant for a region, must not be published there; an event narrowed after
it was published is taken down.
"""

from __future__ import annotations

from pathlib import Path

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Place, PlaceKind, Platform
from bot.features.events.mirror import mirror_events
from tests.conftest import make_settings
from tests.features.events.test_commands import RecordingMirror
from tests.helpers import say, texts

CC_ROOM = Place(Platform.CONSOLE, "cc-room", PlaceKind.GROUP)


def _communities(discord_channel: bool) -> tuple[CommunityConfig, ...]:
    chats = [ChatLink(platform="console", chat_id="cc-room")]
    if discord_channel:
        chats.append(ChatLink(platform="discord", chat_id="555"))
    return (
        CommunityConfig(
            slug="cc",
            name="Connective Cities",
            timezone="Africa/Tunis",
            default_language="en",
            chats=tuple(chats),
        ),
    )


async def _mirror(app: BotApp, mirror: RecordingMirror) -> int:
    return await mirror_events(
        app, mirror, now=app.clock.now(), default_community=app.default_community
    )


async def test_only_the_servers_community_and_network_wide_events_are_mirrored(
    tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", communities=_communities(True)
    )
    app = await BotApp.start(settings, clock=clock)
    await say(app, "rania", "/start", place=CC_ROOM)
    await say(app, "sofia", "/start", place=CC_ROOM)
    await say(app, "sofia", "/community use cc")
    await say(app, "sofia", "/admin add Rania")
    await say(app, "sofia", "/community use champions")
    await say(app, "sofia", '/webinar add "CIB only" 2026-12-03 10:00 UTC')
    await say(app, "sofia", '/webinar add "For everyone" 2026-12-04 10:00 UTC audience=all')
    await say(app, "rania", '/webinar add "CC only" 2026-12-05 10:00 UTC')
    await say(app, "rania", '/webinar add "CC Maghreb" 2026-12-06 10:00 UTC audience=region:mena')
    mirror = RecordingMirror()
    assert await _mirror(app, mirror) == 2
    assert sorted(e.title for e in mirror.events.values()) == ["CC only", "For everyone"]

    # narrowed to its own community (not the server's) after it was published: taken down
    edited = await say(app, "sofia", "/webinar edit 2 audience community")
    assert "Saved" in texts(edited)
    assert await _mirror(app, mirror) == 1
    [taken_down] = mirror.cancelled
    assert mirror.events[taken_down].title == "For everyone"
    assert await _mirror(app, mirror) == 0  # and left alone afterwards
    await app.close()


async def test_without_linked_discord_chats_the_default_community_owns_the_server(
    tmp_path: Path, clock: ManualClock
) -> None:
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", communities=_communities(False)
    )
    app = await BotApp.start(settings, clock=clock)
    await say(app, "sofia", '/webinar add "CIB only" 2026-12-03 10:00 UTC')
    mirror = RecordingMirror()
    assert await _mirror(app, mirror) == 1
    assert [e.title for e in mirror.events.values()] == ["CIB only"]
    await app.close()
