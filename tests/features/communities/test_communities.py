"""One deployment serves several communities, each with its own admins and champions."""

from __future__ import annotations

from pathlib import Path

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Place, PlaceKind, Platform
from tests.conftest import make_settings
from tests.helpers import say, texts

CC_GROUP = Place(Platform.CONSOLE, "cc-room", PlaceKind.GROUP)


async def test_two_communities_with_their_own_admins(tmp_path: Path, clock: ManualClock) -> None:
    cc = CommunityConfig(
        slug="cc-women-leadership",
        name="Connective Cities: Women's Leadership",
        timezone="Asia/Amman",
        default_language="ar",
        chats=(ChatLink(platform="console", chat_id="cc-room"),),
    )
    app = await BotApp.start(
        make_settings(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", communities=(cc,)), clock=clock
    )
    await say(app, "rania", "/start", place=CC_GROUP)  # joins CC by writing in its chat
    await say(app, "sofia", "/language en")  # CC's default language is Arabic
    await say(app, "rania", "/language en")
    await say(app, "sofia", "/community use cc-women-leadership")
    assert "is now an admin" in texts(await say(app, "sofia", "/admin add Rania"))
    # Rania administers CC (her private chat acts on CC, her only community)...
    assert "Champions of Connective Cities" in texts(await say(app, "rania", "/champion list"))
    # ...but not the CIB champions group.
    assert "You are not a member" in texts(await say(app, "rania", "/community use champions"))
    listing = texts(await say(app, "sofia", "/community"))
    assert "(champions) · admin" in listing and "(cc-women-leadership) · admin ✓" in listing
    await say(app, "amina", "/start")
    assert "for the network's admins" in texts(await say(app, "amina", "/champion list"))
    assert "There is no community" in texts(await say(app, "sofia", "/community use nowhere"))

    # Each community's events are its own: Rania cannot cancel the CIB's training.
    await say(app, "sofia", "/community use champions")
    added = texts(
        await say(
            app,
            "sofia",
            '/webinar add "CIB Toolkit training" 2026-12-03 10:00 UTC audience=community',
        )
    )
    assert "Scheduled event #1" in added
    assert "There is no event #1" in texts(await say(app, "rania", "/webinar cancel 1"))
    assert "CIB Toolkit training" not in texts(await say(app, "rania", "/webinars"))
    assert "CIB Toolkit training" in texts(await say(app, "amina", "/webinars"))
    await app.close()
