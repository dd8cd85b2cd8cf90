"""Onboarding and profile editing, as a member would do it."""

from __future__ import annotations

from bot.app import BotApp
from bot.core.messages import Destination, Request, RequestKind
from storage.models import Member
from tests.helpers import ROOM, actor, private, say, texts


async def member(app: BotApp, name: str) -> Member:
    async with app.database.unit_of_work() as uow:
        found = await uow.members.by_account("console", name)
        assert found is not None
        return found


async def test_full_onboarding_derives_region_and_saves_everything(app: BotApp) -> None:
    await say(app, "amina", "/start")
    answers = [
        "Amina B.", "elected", "Ville de Tunis", "Tunisie", "ar, fr", "1, 4, 8",
        "africa/tunis", "Councillor working on safety", "oui",
    ]  # fmt: skip
    for answer in answers:
        replies = await say(app, "amina", answer)
    assert "Your profile is saved" in texts(replies)
    saved = await member(app, "amina")
    assert saved.display_name == "Amina B."
    assert saved.role == "elected"
    assert (saved.country, saved.region) == ("TN", "mena")
    assert saved.languages == ["ar", "fr"]
    assert saved.expertise == ["gender_mainstreaming", "political_participation", "gbv"]
    assert saved.timezone == "Africa/Tunis"
    assert saved.consent_publish and saved.onboarded


async def test_bad_answer_repeats_the_question_without_moving_on(app: BotApp) -> None:
    await say(app, "lucia", "/start")
    await say(app, "lucia", "Lucía")
    reply = texts(await say(app, "lucia", "astronaut"))
    assert "is not one of the choices" in reply
    assert "Which organisation" in texts(await say(app, "lucia", "Technical specialist"))


async def test_region_is_asked_when_the_country_does_not_tell(app: BotApp) -> None:
    await say(app, "x", "/start")
    for answer in ("X", "skip", "skip"):
        await say(app, "x", answer)
    assert "Which world region" in texts(await say(app, "x", "skip"))


async def test_button_answers_the_current_question(app: BotApp) -> None:
    await say(app, "grace", "/start")
    replies = await say(app, "grace", "Grace")
    role_button = next(
        b for row in replies[-1].buttons for b in row if b.label == "Technical specialist"
    )
    press = Request(actor("grace"), private("grace"), RequestKind.BUTTON, text=role_button.action)
    assert "Which organisation" in texts(await app.handle(press))
    assert (await member(app, "grace")).role == "specialist"


async def test_start_in_a_group_continues_in_private(app: BotApp) -> None:
    replies = await say(app, "moana", "/start", place=ROOM)
    assert replies[0].destination is Destination.HERE
    assert "private message" in texts(replies[:1])
    assert all(r.destination is Destination.PRIVATE for r in replies[1:])
    assert "What is your role?" in texts(await say(app, "moana", "Moana"))  # in private
    assert (await member(app, "moana")).display_name == "Moana"


async def test_cancel_stops_the_conversation(app: BotApp) -> None:
    await say(app, "amina", "/start")
    await say(app, "amina", "/cancel")
    assert "Type /help" in texts(await say(app, "amina", "Not a name"))
    assert (await member(app, "amina")).display_name == "Amina"


async def test_profile_set_validates_and_shows(app: BotApp) -> None:
    assert "Saved." in texts(await say(app, "grace", "/profile set country Zambia"))
    assert (await member(app, "grace")).region == "east_southern_africa"
    assert "not a country" in texts(await say(app, "grace", "/profile set country Atlantis"))
    assert "“shoe” is not one of" in texts(await say(app, "grace", "/profile set shoe 42"))
    card = texts(await say(app, "grace", "/profile"))
    assert "Zambia" in card and "East and Southern Africa" in card
    other = texts(await say(app, "lucia", "/profile Grace"))
    assert "Zambia" in other and "Published on the hub" not in other
    assert "no member called" in texts(await say(app, "lucia", "/profile Nobody"))


async def test_timezone_and_language_commands(app: BotApp) -> None:
    reply = texts(await say(app, "moana", "/timezone pacific/rarotonga"))
    assert "Pacific/Rarotonga" in reply
    assert "español" in texts(await say(app, "moana", "/language Spanish"))
    assert (await member(app, "moana")).language == "es"


async def test_time_zone_question_offers_the_zones_of_the_country(app: BotApp) -> None:
    await say(app, "moana", "/start")
    for answer in ("Moana", "elected", "Rarotonga Council", "Cook Islands", "en", "skip"):
        replies = await say(app, "moana", answer)
    offered = [button.action for row in replies[-1].buttons for button in row]
    assert "=Pacific/Rarotonga" in offered
    press = Request(actor("moana"), private("moana"), RequestKind.BUTTON, text="=Pacific/Rarotonga")
    assert "In one or two sentences" in texts(await app.handle(press))
    assert (await member(app, "moana")).timezone == "Pacific/Rarotonga"
