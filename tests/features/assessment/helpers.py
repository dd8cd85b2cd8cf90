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
