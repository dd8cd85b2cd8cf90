"""What /forget does with the outbox, row by row: deleted, rendered again, or scrubbed."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Platform
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.outbox import payload_reply
from storage.models import OutboxMessage
from storage.repositories.outbox import NewMessage
from storage.statuses import ChatPurpose
from tests.features.privacy.week import (
    DC_ADVICE_A,
    DC_WEBINARS_A,
    TG_ADVICE_A,
    ForumMessenger,
    Person,
    send_due,
)

MOANA_TG = "7301234567"


async def rows(app: BotApp) -> dict[str, OutboxMessage]:
    async with app.database.unit_of_work() as uow:
        found = (await uow.session.scalars(select(OutboxMessage))).all()
        return {row.idempotency_key: row for row in found}


async def test_queued_cards_read_former_member_and_keep_their_buttons(app: BotApp) -> None:
    moana = Person(app, Platform.TELEGRAM, MOANA_TG, "Moana Tere")
    await moana.say("/ask Who has a budgeting template for island councils?")
    assert "deleted" in await moana.say("/forget confirm")
    card = (await rows(app))[f"advice:q1:post:telegram:{TG_ADVICE_A}"]
    reply = payload_reply(card.payload)
    assert "Asked by former member" in reply.body.plain()
    assert "Moana" not in reply.body.plain()
    assert reply.buttons[0][0].action == "thread 1"
    assert str(reply.open_thread).startswith("Q1 · Who has a budgeting template")
    assert card.payload["meta"] == {"question_id": 1}


async def test_sent_copies_become_tombstones_that_keep_their_ids(
    app: BotApp, clock: ManualClock
) -> None:
    for platform in Platform:
        app.add_messenger(ForumMessenger(clock, platform=platform))
    moana = Person(app, Platform.TELEGRAM, MOANA_TG, "Moana Tere")
    await moana.say("/ask Who has a budgeting template for island councils?")
    await send_due(Dispatcher(app))
    await moana.say("/forget confirm")
    card = (await rows(app))[f"advice:q1:post:discord:{DC_ADVICE_A}"]
    assert card.payload == {"meta": {"question_id": 1}, "scrubbed": True}
    assert card.sent_message_id is not None  # what an edit on the platform would need


async def test_rows_to_her_go_even_without_her_member_id(app: BotApp, clock: ManualClock) -> None:
    """An admin nudge to a configured admin is addressed by platform id only."""
    moana = Person(app, Platform.TELEGRAM, MOANA_TG, "Moana Tere")
    await moana.say("/profile set country Cook Islands")
    async with app.database.unit_of_work() as uow:
        await uow.outbox.enqueue_many(
            [
                NewMessage(
                    "nudge:1",
                    "advice.admin_nudge",
                    "telegram",
                    MOANA_TG,
                    {},
                    clock.now(),
                    private=True,
                ),
                NewMessage(
                    "nudge:2",
                    "advice.admin_nudge",
                    "discord",
                    MOANA_TG,
                    {},
                    clock.now(),
                    private=True,
                ),
                NewMessage("room:1", "digest", "telegram", MOANA_TG, {}, clock.now()),
            ],
            now=clock.now(),
        )
    await moana.say("/forget confirm")
    # Hers: private, her platform, her id. The others only share the number.
    assert set(await rows(app)) == {"nudge:2", "room:1"}


async def test_a_queued_row_no_feature_renders_again_has_her_traces_replaced(app: BotApp) -> None:
    """An event card names its speakers; events do not render cards again: the name goes."""
    moana = Person(app, Platform.TELEGRAM, MOANA_TG, "Moana Tere")
    sofia = Person(app, Platform.TELEGRAM, "7300000001", "Sofia", admin=True)
    await moana.say("/profile set organisation Rarotonga Island Council")
    await sofia.say(
        '/webinar add "Budget clinic" 2026-12-03 10:00 UTC 60m speakers="Moana Tere" '
        'description="With the Rarotonga Island Council team"'
    )
    await moana.say("/forget confirm")
    card = (await rows(app))[f"announce:1:{await webinars_chat_id(app)}"]
    text = payload_reply(card.payload).body.plain()
    assert "Speakers: former member" in text
    assert "With the [removed] team" in text
    assert [b.action for b in payload_reply(card.payload).buttons[0]] == ["rsvp 1", "ics 1"]


async def webinars_chat_id(app: BotApp) -> int:
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        chats = await uow.communities.chats(community, ChatPurpose.WEBINARS)
        assert chats[0].chat_id == DC_WEBINARS_A
        return chats[0].id
