"""The advice proposes a real mentor for a weak criterion: an active offer on its theme, in the
member's community, with a slot left and a shared language, never herself, ranked by the
mentoring matching's own weights; its button files ``/mentor request`` on the theme."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Reply
from storage.models_networking import MentorOffer, MentorRequest
from storage.repositories.members import EVERYONE
from tests.features.assessment.helpers import answer_all, press
from tests.features.networking.world import add_champions
from tests.helpers import say, texts

BUDGETING, LEADERSHIP, GOVERNANCE = 8, 5, 7
"""Places in the personal track (0-based); the last two share the leadership theme."""
PEOPLE = ("amina", "grace", "karl", "lena")
"""add_champions puts Amina and Grace in Lima, Karl and Lena in Lagos."""


async def _people(app: BotApp, languages: dict[str, list[str]]) -> None:
    await add_champions(app, PEOPLE, join=False)
    async with app.database.unit_of_work() as uow:
        for name, spoken in languages.items():
            [member] = await uow.members.by_name(name.title(), EVERYONE)
            member.languages = spoken


async def _weak_on_budgeting(app: BotApp, *, also_leadership: bool = False) -> list[Reply]:
    levels = [4] * 12
    levels[BUDGETING] = 1
    if also_leadership:
        levels[LEADERSHIP] = levels[GOVERNANCE] = 1
    return await answer_all(app, "amina", levels, await say(app, "amina", "/assess start"))


def _advice(replies: list[Reply]) -> Reply:
    return next(r for r in replies if "/assess action" in r.body.plain())


def _mentor_lines(advice: Reply) -> list[str]:
    return [s for s in advice.body.plain().splitlines() if "A mentor who offered help" in s]


async def test_the_best_fitting_mentor_is_proposed_with_a_button_per_theme(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    await _people(app, {"amina": ["en"], "grace": ["fr", "en"], "karl": ["en"]})
    await say(app, "amina", "/mentor offer 2 6 gender budgeting")  # never herself
    await say(app, "grace", "/mentor offer 1 6 gender budgeting, leadership")
    await say(app, "karl", "/mentor offer 3 6 gender budgeting")  # farther: less shared daytime
    advice = _advice(await _weak_on_budgeting(app, also_leadership=True))
    lines = _mentor_lines(advice)
    assert len(lines) == 3  # budgeting, leadership, good governance
    assert all("Grace" in s and "Karl" not in s and "Amina" not in s for s in lines)
    assert "both speak English" in lines[0] and "hours of shared daytime" in lines[0]
    assert "/mentor request" not in advice.body.plain()  # the button replaces the pointer
    buttons = [b for row in advice.buttons for b in row]
    assert [b.action for b in buttons] == [
        "mentor request governance_leadership",
        "mentor request gender_budgeting",
    ]  # in the advice's order; two criteria on one theme share one button
    assert buttons[1].label == "Ask for a mentor: Gender-responsive budgeting"


async def test_a_full_mentor_is_skipped(both_app: BotApp) -> None:
    app = both_app
    await _people(app, {n: ["en"] for n in PEOPLE})
    await say(app, "grace", "/mentor offer 1 6 gender budgeting")
    await say(app, "lena", "/mentor request gender budgeting")
    assert "Grace → Lena" in texts(await say(app, "sofia", "/mentor propose", admin=True))
    await say(app, "karl", "/mentor offer 1 6 gender budgeting")  # offered later, farther
    [line] = _mentor_lines(_advice(await _weak_on_budgeting(app)))
    assert "Karl" in line and "Grace" not in line  # Grace's one slot is taken


async def test_a_mentor_who_shares_no_language_is_skipped(both_app: BotApp) -> None:
    app = both_app
    await _people(app, {"amina": ["en", "ar"], "grace": ["fr"], "karl": ["ar"]})
    await say(app, "grace", "/mentor offer 2 6 gender budgeting")
    await say(app, "karl", "/mentor offer 2 6 gender budgeting")
    [line] = _mentor_lines(_advice(await _weak_on_budgeting(app)))
    assert "Karl" in line and "both speak Arabic" in line and "Grace" not in line


async def test_a_mentor_of_another_community_is_skipped_and_the_pointer_stays(
    both_app: BotApp, clock: ManualClock
) -> None:
    app = both_app
    await _people(app, {n: ["en"] for n in PEOPLE})
    async with app.database.unit_of_work() as uow:
        other = await uow.communities.ensure(
            slug="cities", name="Cities", timezone="UTC", default_language="en", now=clock.now()
        )
        [grace] = await uow.members.by_name("Grace", EVERYONE)
        await uow.communities.set_role(other, grace, "champion", clock.now())
        uow.session.add(
            MentorOffer(
                community_id=other.id,
                member_id=grace.id,
                themes=["gender_budgeting"],
                capacity=3,
                created_at=clock.now(),
            )
        )
    advice = _advice(await _weak_on_budgeting(app))
    assert _mentor_lines(advice) == [] and advice.buttons == ()
    assert "Ask for a mentor on it: /mentor request" in advice.body.plain()


async def test_the_button_files_a_mentor_request_on_the_theme(both_app: BotApp) -> None:
    app = both_app
    await _people(app, {"amina": ["fr", "en"], "grace": ["fr"]})
    await say(app, "amina", "/language fr")
    await say(app, "grace", "/mentor offer 1 6 budget sensible au genre")
    advice = _advice(await _weak_on_budgeting(app))
    [[button]] = advice.buttons
    assert button.label == "Demander un mentorat : Budgétisation sensible au genre"
    assert "Votre demande est notée" in texts(await press(app, "amina", button.action))
    again = texts(await press(app, "amina", button.action))
    assert "Vous l'avez déjà demandé" in again
    async with app.database.unit_of_work() as uow:
        [request] = (await uow.session.scalars(select(MentorRequest))).all()
    assert request.themes == ["gender_budgeting"]
    assert request.goals == "Budgétisation sensible au genre"  # her words, not a code
    preview = texts(await say(app, "sofia", "/mentor propose", admin=True))
    assert "Grace → Amina" in preview and "strong on Gender-responsive budgeting" in preview
