"""A call for speakers through the real python-telegram-bot against the loopback Bot API: the
invitation reaches matching champions with its button, a champion volunteers with it, the
admin picks, the outcome arrives once each; every call checked against the published API."""

from __future__ import annotations

from datetime import timedelta

from adapters.telegram import TelegramAdapter
from bot.app import BotApp
from bot.delivery.dispatcher import Dispatcher
from tests.adapters.telegram.conftest import AMINA, KARIM, private_chat
from tests.adapters.telegram.test_end_to_end import settle, texts
from tests.fakes.telegram_api import FakeTelegram, user
from tests.helpers import say
from tests.helpers import texts as said

LINA = user(103, "Lina", language="fr")


async def champions(app: BotApp) -> None:
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for who in (AMINA, KARIM, LINA):
            member = await uow.members.create(
                display_name=who["first_name"], platform="telegram",
                platform_user_id=str(who["id"]), username=None,
                language=who["language_code"], now=now,
            )  # fmt: skip
            member.expertise = ["legal_quotas"] if who is not KARIM else ["gbv"]
            await uow.communities.set_role(community, member, "champion", now)


async def test_a_call_for_speakers_on_telegram(
    fake: FakeTelegram, telegram: TelegramAdapter, bot_app: BotApp
) -> None:
    app = bot_app
    await champions(app)
    start = (app.clock.now() + timedelta(days=20)).strftime("%Y-%m-%d 15:00")
    deadline = (app.clock.now() + timedelta(days=10)).strftime("%Y-%m-%d 18:00")
    await say(app, "boss", f'/webinar add "Quotas clinic" {start} UTC 60m', admin=True)
    line = f'/call add speaker {deadline} "Speak at the clinic" event=1 themes=quotas'
    posted = said(await say(app, "boss", line, admin=True))
    assert "Sent privately to 2 matching champions" in posted
    await Dispatcher(app).run_due()
    invite = next(s for s in fake.sent_to(AMINA["id"]) if s.keyboard)
    assert invite.text.startswith("Call for contributors: Speak at the clinic")
    assert invite.keyboard == [[{"text": "I volunteer", "callback_data": "call volunteer 1"}]]
    [lina] = [s for s in fake.sent_to(LINA["id"]) if s.keyboard]
    assert lina.text.startswith("Appel à contributions : Speak at the clinic")
    assert lina.keyboard[0][0]["text"] == "Je me porte volontaire"
    assert not fake.sent_to(KARIM["id"])  # his expertise is another theme

    await fake.push(fake.callback(AMINA, invite, "call volunteer 1", chat=private_chat(AMINA)))
    await fake.push(fake.callback(LINA, lina, "call volunteer 1", chat=private_chat(LINA)))
    await settle(fake)
    told = texts(fake.sent_to(AMINA["id"])) + [a.get("text", "") for a in fake.answered_callbacks]
    assert any("You volunteered for “Speak at the clinic”" in t for t in told)
    shown = said(await say(app, "boss", "/call volunteers 1", admin=True))
    assert "Amina" in shown and "Lina" in shown

    await say(app, "boss", "/call pick 1 Amina", admin=True)
    await Dispatcher(app).run_due()
    await Dispatcher(app).run_due()
    amina = texts(fake.sent_to(AMINA["id"]))
    lina_all = texts(fake.sent_to(LINA["id"]))
    assert sum(t.startswith("You were chosen") for t in amina) == 1
    assert sum(t.startswith("Merci pour votre candidature") for t in lina_all) == 1
