"""Advice from real data: a weak criterion leads to the hub resources on its theme, the next
webinar on it, a champion strong on it who agreed to be asked, and the mentoring pointer; an
action noted with a date is reminded through the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Reply
from storage.models import OutboxMessage, Resource
from tests.features.assessment.helpers import answer_all, press
from tests.helpers import say, texts

BUDGETING = 8
"""The budgeting question's place in the personal track (0-based)."""


async def _resources(app: BotApp, clock: ManualClock) -> None:
    async with app.database.unit_of_work() as uow:
        for key, title, theme in (
            ("a", "Gender-responsive budgeting guide for LGAs", "gender_budgeting"),
            ("b", "Protecting women councillors from online harassment", "gbv"),
        ):
            uow.session.add(
                Resource(
                    dedup_key=key,
                    title=title,
                    summary=title,
                    url=f"https://hub.example/{key}",
                    type="guide",
                    themes=[theme],
                    regions=[],
                    languages=["en"],
                    publisher="CIB",
                    source="test",
                    added_at=clock.now(),
                    updated_at=clock.now(),
                )
            )


def _consent(replies: list[Reply], what: str) -> str:
    return next(
        b.action for r in replies for row in r.buttons for b in row if b.action.endswith(what)
    )


async def _take(app: BotApp, name: str, levels: list[int]) -> list[Reply]:
    return await answer_all(app, name, levels, await say(app, name, "/assess start"))


async def test_a_weak_criterion_leads_to_matching_resources_webinar_and_champion(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    await _resources(app, clock)
    await say(
        app,
        "sofia",
        '/webinar add "Gender budgeting in LGAs" 2026-12-03 14:00 Europe/Madrid',
        admin=True,
    )
    await say(
        app,
        "sofia",
        '/webinar add "Campaign safety clinic" 2026-12-01 14:00 Europe/Madrid',
        admin=True,
    )
    strong = [3] * 12
    strong[BUDGETING] = 5
    grace = await _take(app, "grace", strong)
    await press(app, "grace", _consent(grace, " ask"))  # Grace agrees to be asked
    await _take(app, "moana", strong)  # Moana is strong too, but did not agree
    weak = [4] * 12
    weak[BUDGETING] = 1
    said = texts(await _take(app, "amina", weak))
    advice = said.split("What may help where you are weakest", 1)[1]
    assert "Gender-responsive budgeting" in advice
    assert "Hub resource: Gender-responsive budgeting guide for LGAs" in advice
    assert "online harassment" not in advice
    assert "Next webinar: Gender budgeting in LGAs" in advice
    assert "Campaign safety clinic" not in advice  # another theme
    assert "Grace" in advice and "Moana" not in advice
    assert "/mentor request" in advice and "/assess action budgeting" in advice
    assert "Leadership" not in advice  # rated 4: not weak


async def test_an_action_with_a_date_is_reminded_through_the_outbox(
    app: BotApp, clock: ManualClock
) -> None:
    refused = texts(await say(app, "amina", "/assess action budgeting 2020-01-01 Read the guide"))
    assert "Choose a date in the future" in refused
    unknown = texts(await say(app, "amina", "/assess action cooking 2027-01-15 Bake"))
    assert "I know no criterion “cooking”" in unknown
    noted = texts(
        await say(app, "amina", "/assess action budgeting 2027-01-15 Read the budget guide")
    )
    assert "I will remind you on Fri, 15 Jan 2027" in noted
    async with app.database.unit_of_work() as uow:
        [row] = (await uow.session.scalars(select(OutboxMessage))).all()
    assert row.kind == "assessment.action" and row.idempotency_key.startswith("assess:action:")
    assert row.due_at - clock.now() > timedelta(days=50)
    exported = await say(app, "amina", "/assess export")
    [file] = [a for r in exported for a in r.attachments]
    assert b"Read the budget guide" in file.data


async def test_the_action_reminder_arrives_once_on_its_day_in_her_language(
    app: BotApp, clock: ManualClock
) -> None:
    from datetime import UTC, datetime

    from tests.features.events.fakes import wire

    dispatcher, messenger = wire(app)
    await say(app, "amina", "/language fr")
    await say(app, "amina", "/timezone Africa/Tunis")
    await say(app, "amina", "/assess action budgeting 2026-12-01 Lire le guide du budget")
    await dispatcher.run_due()
    assert messenger.sent == []  # not before its day
    clock.set(datetime(2026, 12, 1, 8, 1, tzinfo=UTC))  # 09:01 in Tunis
    await dispatcher.run_due()
    await dispatcher.run_due()
    [reminder] = messenger.sent
    assert reminder.recipient.private and reminder.recipient.chat_id == "amina"
    assert "Un rappel de l'action que vous avez notée" in reminder.text
    assert "Budgétisation sensible au genre : Lire le guide du budget" in reminder.text
