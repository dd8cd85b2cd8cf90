"""Admins are told privately, once per submission and in their own language, when a share or a
write-up enters the review queue or comes back to it after a change, with a pointer to /review.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.delivery.outbox import payload_reply
from storage.models import OutboxMessage
from tests.features.contributions.test_practice import ANSWERS, _write
from tests.helpers import say, texts

GUIDE = "https://www.example.org/grb-toolkit/"
TITLE = "Toolkit for gender budgeting in city councils"


async def _notices(app: BotApp) -> list[tuple[str, str, str]]:
    """(recipient chat, text, button action) of each admin notice, in order."""
    async with app.database.unit_of_work() as uow:
        rows = (
            await uow.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "contribution.queued")
                .order_by(OutboxMessage.id)
            )
        ).all()
    found = []
    for row in rows:
        assert row.private
        reply = payload_reply(row.payload)
        found.append((row.chat_id, reply.body.plain(), reply.buttons[0][0].action))
    return found


async def _world(app: BotApp) -> None:
    await say(app, "sofia", "/start", admin=True)
    await say(app, "amina", "/language fr")
    await say(app, "sofia", "/champion approve Amina", admin=True)
    await say(app, "lucia", "/language es")
    await say(app, "sofia", "/admin add Lucia", admin=True)  # an admin of the community


async def test_a_share_and_its_resubmission_are_told_to_each_admin_once_in_her_language(
    app: BotApp, clock: ManualClock
) -> None:
    await _world(app)
    await say(app, "amina", f"/share {GUIDE} {TITLE}", update_id="s1")
    await say(app, "amina", f"/share {GUIDE} {TITLE}", update_id="s1")  # redelivered
    first = await _notices(app)
    assert sorted(chat for chat, _, _ in first) == ["lucia", "sofia"]
    by = {chat: (text, action) for chat, text, action in first}
    assert by["lucia"][0].startswith("El recurso compartido #1 de Amina espera revisión.")
    assert TITLE in by["lucia"][0] and "/review" in by["lucia"][0]
    assert by["sofia"][0].startswith("Shared resource #1 from Amina is waiting for review.")
    assert by["sofia"][1] == "review"
    # reviewing tells no admin; the change sent back and resubmitted is told again, once
    await say(app, "sofia", "/review change 1 Please add the region", admin=True)
    assert len(await _notices(app)) == 2
    clock.advance(timedelta(minutes=5))
    await say(app, "amina", "/share edit 1 region:global")
    again = (await _notices(app))[2:]
    assert sorted(chat for chat, _, _ in again) == ["lucia", "sofia"]
    assert any(
        "is back in the review queue after a change by Amina" in text for _, text, _ in again
    )


async def test_a_write_up_is_told_when_submitted_not_while_drafted(app: BotApp) -> None:
    await _world(app)
    await say(app, "amina", "/practice")
    await _write(app, "amina", *list(ANSWERS)[:4])
    assert await _notices(app) == []  # a draft is nobody's business yet
    await _write(app, "amina", *list(ANSWERS)[4:], "no")
    notices = await _notices(app)
    assert sorted(chat for chat, _, _ in notices) == ["lucia", "sofia"]
    assert any("Good practice #1 from Amina is waiting for review." in t for _, t, _ in notices)


async def test_an_admin_who_shares_is_not_told_of_her_own_share(app: BotApp) -> None:
    await _world(app)
    await say(app, "lucia", f"/share {GUIDE} {TITLE}")
    assert [chat for chat, _, _ in await _notices(app)] == ["sofia"]
    assert "#1" in texts(await say(app, "lucia", "/share mine"))
