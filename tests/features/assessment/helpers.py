"""Answering an assessment through the router, as a member pressing buttons would."""

from __future__ import annotations

from bot.app import BotApp
from bot.core.messages import Reply, Request, RequestKind
from tests.helpers import actor, private


async def press(app: BotApp, name: str, action: str) -> list[Reply]:
    """Press a button whose action is ``action`` in ``name``'s private chat."""
    request = Request(actor(name), private(name), RequestKind.BUTTON, text=action)
    return await app.handle(request)


def question(replies: list[Reply]) -> Reply:
    """The reply that asks a question (it has the level buttons)."""
    return next(r for r in replies if r.buttons and r.buttons[0][0].action.startswith("asq "))


def action(reply: Reply, choice: str) -> str:
    """The action of the button for ``choice`` (a level, ``na``, ``back`` or ``skip``)."""
    return next(b.action for row in reply.buttons for b in row if b.action.endswith(" " + choice))


async def answer_all(
    app: BotApp, name: str, levels: list[int], replies: list[Reply]
) -> list[Reply]:
    """Answer every remaining question with ``levels`` in turn; the replies to the last press."""
    for level in levels:
        replies = await press(app, name, action(question(replies), str(level)))
    return replies


BUDGETING = 8
"""The budgeting criterion's place in the personal track (0-based); its theme is
``gender_budgeting``."""


async def champion_with_a_mentor(app: BotApp, platform: str, user_id: str, name: str) -> None:
    """``name`` (an account on ``platform``) and Hana (console) become English-speaking
    champions; Hana offers to mentor on gender budgeting."""
    from tests.helpers import say

    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for who, where, account in ((name, platform, user_id), ("Hana", "console", "hana")):
            member = await uow.members.create(
                display_name=who, platform=where, platform_user_id=account,
                username=None, language="en", now=now,
            )  # fmt: skip
            member.languages = ["en"]
            await uow.communities.set_role(community, member, "champion", now)
    await say(app, "hana", "/mentor offer 2 6 gender budgeting")


async def mentor_requests(app: BotApp) -> list[tuple[str, list[str]]]:
    """(goals, themes) of every mentor request."""
    from sqlalchemy import select

    from storage.models_networking import MentorRequest

    async with app.database.unit_of_work() as uow:
        found = (await uow.session.scalars(select(MentorRequest))).all()
        return [(r.goals, list(r.themes)) for r in found]
