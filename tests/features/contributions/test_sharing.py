"""/share and /review through the router, on a real SQLite file (and PostgreSQL in CI).

A champion shares a link; the bot suggests themes, catches duplicates before anything is
queued, and an admin approves (the resource is found at once, in another language, credited),
asks for a change (the contributor edits and resubmits) or declines with a reason. The
contributor hears each outcome privately in her language; every decision is audited.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.core.messages import Destination
from bot.delivery.outbox import payload_reply
from bot.features.contributions.checks import alike, suggest_themes, title_key
from bot.features.digest import service as digest
from storage.models import AuditEntry, OutboxMessage, Resource
from storage.models_contributions import Contribution
from storage.statuses import ContributionStatus
from tests.conftest import make_settings
from tests.helpers import ROOM, say, texts

GUIDE = "https://www.example.org/grb-toolkit/"
TITLE = "Toolkit for gender budgeting in city councils"


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    bot_app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(bot_app, "amina", "/language fr")
    await say(bot_app, "sofia", "/champion approve Amina", admin=True)
    await say(bot_app, "karim", "/start")
    await say(bot_app, "sofia", "/champion approve Karim", admin=True)
    yield bot_app
    await bot_app.close()


async def _count(app: BotApp, model: type) -> int:
    async with app.database.unit_of_work() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def _contribution(app: BotApp, contribution_id: int) -> Contribution:
    async with app.database.unit_of_work() as uow:
        found = await uow.contributions.get(contribution_id)
        assert found is not None
        return found


async def _outcomes(app: BotApp) -> list[str]:
    async with app.database.unit_of_work() as uow:
        rows = (
            await uow.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "contribution.outcome")
                .order_by(OutboxMessage.id)
            )
        ).all()
        return [payload_reply(row.payload).body.plain() for row in rows]


async def _audit(app: BotApp) -> list[tuple[str, dict]]:
    async with app.database.unit_of_work() as uow:
        rows = (
            await uow.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.like("contribution.%"))
                .order_by(AuditEntry.id)
            )
        ).all()
        return [(row.action, dict(row.detail)) for row in rows]


async def test_a_share_is_queued_with_suggested_themes_and_found_once_approved(
    app: BotApp,
) -> None:
    shared = texts(await say(app, "amina", f"/share {GUIDE} {TITLE}"))
    assert "#1" in shared and "Budgétisation sensible au genre" in shared  # her language
    assert "J'ai choisi les thèmes d'après votre texte." in shared
    queued = await _contribution(app, 1)
    assert queued.status is ContributionStatus.PENDING
    assert queued.themes == ["gender_budgeting"] and queued.languages == ["fr"]
    assert queued.url_key == "url:example.org/grb-toolkit"
    before = await _count(app, Resource)
    # Not in the catalogue before review.
    assert TITLE not in texts(await say(app, "karim", "/resources gender budgeting toolkit"))

    listed = await say(app, "sofia", "/review", admin=True)
    assert TITLE in texts(listed) and "Contributed by Amina" in texts(listed)
    actions = [button.action for row in listed[0].buttons for button in row]
    assert actions == ["review approve 1", "review change 1", "review decline 1"]
    approved = texts(await say(app, "sofia", "/review approve 1", admin=True))
    assert "resource #" in approved and await _count(app, Resource) == before + 1

    # At once, in another language: a French query finds the English title.
    found = texts(await say(app, "karim", "/resources budgétisation genrée", locale="fr"))
    assert TITLE in found and "Partagée par Amina" in found
    resource_id = (await _contribution(app, 1)).resource_id
    assert f"#{resource_id}" in found
    shown = texts(await say(app, "karim", f"/resources #{resource_id}", locale="en"))
    assert "Shared by Amina" in shown  # his app back in English: so is the card

    [told] = await _outcomes(app)
    assert told.startswith(f"Votre ressource « {TITLE} » est approuvée")
    assert await _audit(app) == [
        (
            "contribution.approve",
            {"contribution_id": 1, "kind": "resource", "member_id": queued.contributor_member_id,
             "resource_id": resource_id},
        )
    ]  # fmt: skip
    again = texts(await say(app, "sofia", "/review approve 1", admin=True))
    assert "n'attend pas" not in again and "is not waiting for review (it is approved)" in again
    # recognition: the approved share counts on her card and in /stats, once
    assert "contributions 1" in texts(await say(app, "amina", "/profile", locale="en"))
    assert "Contributions approved: 1" in texts(await say(app, "sofia", "/stats", admin=True))


async def test_a_duplicate_is_caught_before_review_in_the_queue_and_in_the_catalogue(
    app: BotApp,
) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    same_url = texts(await say(app, "karim", "/share http://example.org/grb-toolkit Other words"))
    assert "someone already shared it; it is waiting for review" in same_url
    near_title = texts(
        await say(
            app,
            "karim",
            "/share https://other.example/x Toolkit for Gender Budgeting in City Councils!",
        )
    )
    assert "waiting for review" in near_title
    assert await _count(app, Contribution) == 1  # nothing more queued

    await say(app, "sofia", "/review approve 1", admin=True)
    in_catalogue = texts(
        await say(app, "karim", "/share https://EXAMPLE.org/grb-toolkit#top Again")
    )
    assert "the Knowledge Hub already has it" in in_catalogue
    # A resource imported in the catalogue (not shared) is caught by its title too.
    async with app.database.unit_of_work() as uow:
        imported = (await uow.resources.all())[0]
    repeated = texts(await say(app, "karim", f"/share https://new.example/a {imported.title}"))
    assert f"already has it: #{imported.id}" in repeated
    assert await _count(app, Contribution) == 1


def test_near_identical_titles() -> None:
    assert alike(title_key(TITLE), title_key("Toolkit for Gender-Budgeting in City Councils."))
    assert alike(title_key("Guía de presupuestos"), title_key("Guia de presupuestos"))
    assert not alike(title_key(TITLE), title_key("Toolkit for gender budgeting in rural areas"))
    assert not alike(title_key("Toolkit"), title_key("Toolkits"))  # short: equality only


def test_themes_are_suggested_from_words_in_any_language() -> None:
    assert suggest_themes("Guía sobre violencia de género en la política local", []) == ["gbv"]
    assert suggest_themes("Un guide sans mot-clé", [("data",), ("data", "gbv")]) == ["data"]
    assert suggest_themes("Un guide sans mot-clé", [("data",), ("gbv",)]) == []


async def test_bad_shares_get_a_polite_answer_and_change_nothing(app: BotApp) -> None:
    assert "https://" in texts(await say(app, "amina", "/share A title without a link"))
    assert "title" in texts(await say(app, "karim", f"/share {GUIDE}"))
    unknown = texts(await say(app, "karim", f"/share {GUIDE} A guide theme:astrology"))
    assert "I don't know the theme “astrology”" in unknown
    assert "Type /share, the link" in texts(await say(app, "karim", "/share"))
    not_champion = texts(await say(app, "lucia", f"/share {GUIDE} A guide"))
    assert "champions" in not_champion
    assert await _count(app, Contribution) == 0


async def test_tags_are_read_in_any_language(app: BotApp) -> None:
    await say(
        app, "karim",
        f'/share {GUIDE} "Guía municipal" tipo:guía idioma:español región:"América Latina" '
        "tema:presupuesto",
    )  # fmt: skip
    shared = await _contribution(app, 1)
    assert shared.title == "Guía municipal" and shared.type == "guide"
    assert shared.languages == ["es"] and shared.regions == ["latin_america"]
    assert shared.themes == ["gender_budgeting"]


async def test_change_requested_then_edited_then_declined_each_told_and_audited(
    app: BotApp, clock: ManualClock
) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    assert "went back to its author" in texts(
        await say(app, "sofia", "/review change 1 Please add the region", admin=True)
    )
    assert (await _contribution(app, 1)).status is ContributionStatus.CHANGES_REQUESTED
    assert "not waiting for review" in texts(
        await say(app, "sofia", "/review approve 1", admin=True)
    )
    # Only she may edit it.
    assert "no contribution #1" in texts(await say(app, "karim", "/share edit 1 region:global"))
    clock.advance(timedelta(minutes=5))
    edited = texts(await say(app, "amina", "/share edit 1 region:global"))
    assert "de retour dans la file de relecture" in edited
    back = await _contribution(app, 1)
    assert back.status is ContributionStatus.PENDING and back.regions == ["global"]
    assert back.title == TITLE  # tags only: the title stays

    # A button press names no reason: the bot asks for it, the next message gives it.
    asked = await say(app, "sofia", "/review decline 1", admin=True)
    assert "Why?" in texts(asked)
    assert "is declined" in texts(await say(app, "sofia", "Not about local government", admin=True))
    declined = await _contribution(app, 1)
    assert declined.status is ContributionStatus.DECLINED
    assert declined.review_note == "Not about local government"

    change, decline = await _outcomes(app)
    assert "Les admins demandent une modification" in change and "Please add the region" in change
    assert "a été refusée" in decline and "Motif : Not about local government" in decline
    assert [action for action, _ in await _audit(app)] == [
        "contribution.change",
        "contribution.decline",
    ]
    mine = texts(await say(app, "amina", "/share mine"))
    assert "refusée" in mine and "Not about local government" in mine


async def test_only_admins_review(app: BotApp) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    assert "admins" in texts(await say(app, "karim", "/review approve 1"))
    assert "admins" in texts(await say(app, "karim", "/review"))
    assert (await _contribution(app, 1)).status is ContributionStatus.PENDING


async def test_review_replies_never_show_the_queue_to_a_group(app: BotApp) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    replies = await say(app, "sofia", "/review", admin=True, place=ROOM)
    here = [r for r in replies if r.destination in (Destination.HERE, Destination.POINTER)]
    assert TITLE not in texts(here)


async def test_approved_contributions_show_in_the_digest(app: BotApp, clock: ManualClock) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    await say(app, "sofia", "/review approve 1", admin=True)
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        now = clock.now()
        built = await digest.build(
            uow, community, now - timedelta(days=7), now + timedelta(minutes=1), Translator("en")
        )
    [item] = built.contributions
    assert item.title == TITLE and item.url == GUIDE and item.detail == "shared by A champion"
    document = digest.as_document(built, Translator("es")).plain()
    assert "Compartido por las y los campeones" in document


async def test_an_edit_may_change_the_link_or_the_title_and_is_checked_again(app: BotApp) -> None:
    await say(app, "amina", f"/share {GUIDE} {TITLE}")
    await say(app, "karim", "/share https://example.org/other A different guide on data")
    await say(app, "amina", "/share edit 1 https://example.org/grb-toolkit-2024")
    moved = await _contribution(app, 1)
    assert moved.url == "https://example.org/grb-toolkit-2024" and moved.title == TITLE
    assert moved.url_key == "url:example.org/grb-toolkit-2024"
    await say(app, "amina", "/share edit 1 A shorter title theme:data")
    renamed = await _contribution(app, 1)
    assert renamed.title == "A shorter title" and renamed.themes == ["data"]
    assert renamed.url == "https://example.org/grb-toolkit-2024"
    # An edit that would repeat another queued share is refused, and changes nothing.
    refused = texts(await say(app, "amina", "/share edit 1 https://example.org/other"))
    assert "merci, mais quelqu'un l'a déjà partagée" in refused.casefold()
    assert (await _contribution(app, 1)).url == "https://example.org/grb-toolkit-2024"
