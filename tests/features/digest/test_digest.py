"""The weekly digest: posted once at its time in the community's zone; exported for newsletters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from bot.features.digest.commands import post_digests
from bot.features.digest.service import latest_fire_time
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger
from tests.helpers import say, texts

FRIDAY_8_MADRID = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)  # 08:00 CET


def test_latest_fire_time_is_in_the_community_zone() -> None:
    assert latest_fire_time("0 8 * * fri", "Europe/Madrid", FRIDAY_8_MADRID) == FRIDAY_8_MADRID
    before = FRIDAY_8_MADRID - timedelta(minutes=1)
    assert latest_fire_time("0 8 * * fri", "Europe/Madrid", before) == FRIDAY_8_MADRID - timedelta(
        days=7
    )


async def test_digest_is_posted_once_with_the_week_and_no_asker(
    tmp_path: Path, clock: ManualClock
) -> None:
    community = CommunityConfig(
        timezone="Europe/Madrid",
        chats=(ChatLink(platform="telegram", chat_id="-100", purpose="general"),),
    )
    clock.set(FRIDAY_8_MADRID - timedelta(days=10))  # the demo catalogue arrives the week before
    app = await BotApp.start(
        make_settings(f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", community=community), clock=clock
    )
    clock.set(FRIDAY_8_MADRID - timedelta(days=3))
    telegram = RecordingMessenger(clock, platform=Platform.TELEGRAM)
    app.add_messenger(telegram)
    app.add_messenger(RecordingMessenger(clock))
    await say(app, "amina", "/ask anonymous How do councils stop online abuse of candidates? #gbv")
    await say(app, "grace", "/answer Q1 A reporting hotline with the electoral body.")
    await say(app, "amina", "/solved Q1 1")
    await say(app, "sofia", "/champion approve amina")
    await say(app, "amina", "/story Tunis adopted a gender-responsive budget line")
    await say(app, "sofia", "/story approve 1")
    await say(app, "sofia", '/webinar add "Toolkit training" 2026-12-03 10:00 Europe/Madrid 60m')
    await say(
        app,
        "sofia",
        '/resource add title:"Guía de presupuestos locales con enfoque de género" '
        "url:https://example.org/guia type:guide languages:es publisher:FEMP year:2026",
    )

    # Not at once: a row stamped before 08:00 may still be committing.
    assert await post_digests(app, FRIDAY_8_MADRID + timedelta(seconds=10)) == 0
    clock.set(FRIDAY_8_MADRID + timedelta(minutes=2))
    assert await post_digests(app, clock.now()) == 1
    assert await post_digests(app, clock.now() + timedelta(minutes=5)) == 0  # once per schedule
    await Dispatcher(app).run_due()
    [posted] = telegram.sent
    text = posted.text
    assert "This week in Gender Hub Champions" in text
    assert "Q1 · How do councils stop online abuse of candidates?" in text
    assert "Toolkit training" in text and "Tunis adopted a gender-responsive budget" in text
    assert "A champion" in text  # Amina did not consent to publication
    assert "Amina" not in text
    # New hub resources are those added that week (the demo catalogue came the week before).
    assert "New in the Knowledge Hub" in text and "Guía de presupuestos locales" in text
    assert "Toolkit to Mainstream Gender Equality" not in text

    late = FRIDAY_8_MADRID + timedelta(days=7, hours=7)
    assert await post_digests(app, late) == 0  # the bot was down all Friday: not sent at night

    markdown = await say(app, "sofia", "/digest export markdown")
    assert markdown[0].attachments[0].filename.endswith(".md")
    assert b"Toolkit training" in markdown[0].attachments[0].data
    assert "for the network's admins" in texts(await say(app, "amina", "/digest"))
    await app.close()
