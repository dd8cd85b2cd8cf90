"""Two communities on one deployment, each with everything an admin could act on.

Community A is the CIB champions group (the deployment's default community), B a Connective
Cities working group. Each has a linked chat (for general talk, advice and webinars), its own
admin (made by the secretariat, not configured: a community admin, not a global one), a
champion, a member who asks, a public event (``audience=all``) with an attendee's rating and
comment, an event for the community only, a pending story, a question with an answer, an
announcement and a resource its admin added.

B's admin has also written once in A's chat, so they are a *member* of A: the case where
"seeing" an event of A used to be enough to change it.

Everything is made through the core, as people would type it; :func:`seed` returns what each
community holds, with the texts that must never reach the other community (``secrets``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import Place, PlaceKind, Platform
from tests.conftest import make_settings
from tests.features.assessment.helpers import answer_all, press
from tests.helpers import say, texts

PURPOSES = ("general", "advice", "webinars")


def _chat(chat_id: str) -> tuple[ChatLink, ...]:
    return tuple(ChatLink(platform="console", chat_id=chat_id, purpose=p) for p in PURPOSES)


CIB = CommunityConfig(slug="champions", name="Gender Hub Champions", chats=_chat("cib-room"))
CC = CommunityConfig(
    slug="cc-women-leadership",
    name="Connective Cities: Women's Leadership",
    timezone="Africa/Tunis",
    chats=_chat("cc-room"),
)
SECRETARY = "sofia"
"""Configured under ``[admins]``: an admin of every community."""


@dataclass(frozen=True)
class People:
    """Who is who in one community, and what they will write."""

    slug: str
    room: str
    admin: str
    champion: str
    asker: str
    published: str
    """A member who agreed to publish their profile: everyone may read it."""
    words: str
    """A word that makes every title and text of this community its own."""


@dataclass(frozen=True)
class Side:
    """What one community holds after :func:`seed`: ids to name, texts to keep in."""

    people: People
    public_event: int
    community_event: int
    story: int
    question: int
    announcement: int
    resource: int
    secrets: tuple[str, ...]
    """Texts only this community may read: members' names and details, the community-only
    event, the story, the question and its answer, the announcement, the feedback comment."""

    @property
    def place(self) -> Place:
        return Place(Platform.CONSOLE, self.people.room, PlaceKind.GROUP)


A = People("champions", "cib-room", "amal", "amina", "grace", "paula", "Kampala")
B = People("cc-women-leadership", "cc-room", "bruno", "rania", "nadia", "pedro", "Sfax")


async def start(url: str, clock: ManualClock) -> BotApp:
    """The bot with both communities, on the database at ``url``."""
    settings = make_settings(url, community=CIB, communities=(CC,))
    return await BotApp.start(settings, clock=clock)


def _number(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found is not None, (pattern, text)
    return int(found.group(1))


async def _said(app: BotApp, name: str, line: str, *, place: Place | None = None) -> str:
    said = texts(await say(app, name, line, place=place))
    assert "Usage" not in said and "something went wrong" not in said, (name, line, said)
    assert "for the network's admins" not in said, (name, line, said)
    return said


async def _fill(app: BotApp, who: People) -> Side:
    room = Place(Platform.CONSOLE, who.room, PlaceKind.GROUP)
    w = who.words
    for name, country in (
        (who.admin, "Tunisia"),
        (who.champion, "Uganda"),
        (who.asker, "Kenya"),
        (who.published, "Chile"),
    ):  # writing in the community's chat is joining it
        await _said(app, name, f"/profile set country {country}", place=room)
        await _said(app, name, f"/community use {who.slug}")
    await _said(app, who.champion, f"/profile set organisation {w} City Council")
    await _said(app, who.champion, f"/profile set bio Mayor's adviser on {w} budgets")
    await _said(app, who.published, f"/profile set organisation {w} Women's Network")
    await _said(app, who.published, "/profile set publish yes")
    await _said(app, SECRETARY, f"/community use {who.slug}")
    await _said(app, SECRETARY, f"/admin add {who.admin.title()}")

    admin = who.admin
    await _said(app, admin, f"/champion approve {who.champion.title()}")
    public = _number(
        r"Scheduled event #(\d+)",
        await _said(
            app,
            admin,
            f'/webinar add "{w} open webinar" 2026-12-03 10:00 UTC 60m '
            "https://meet.example.org/open audience=all",
        ),
    )
    private = _number(
        r"Scheduled event #(\d+)",
        await _said(app, admin, f'/webinar add "{w} members clinic" 2026-12-04 10:00 UTC 60m'),
    )
    for event in (public, private):
        await _said(app, who.champion, f"/rsvp {event}")
    await _said(app, admin, f"/webinar recording {public} https://video.example.org/{w}")
    await _said(app, who.champion, f"/rate {public} 4")
    await _said(app, who.champion, f"/comment {public} The {w} session on budgets was useful")
    story = _number(
        r"story #(\d+)",
        await _said(app, who.champion, f"/story {w} council adopted a gender budget"),
    )
    question = _number(
        r"Q(\d+)",
        await _said(app, who.asker, f"/ask How did {w} fund its shelters? #gbv"),
    )
    await _said(app, who.champion, f"/answer Q{question} {w} used a municipal trust fund")
    announcement = _number(
        r"Announcement #(\d+)",
        await _said(app, admin, f"/announce everyone The {w} toolkit training opens Monday"),
    )
    resource = _number(
        r"resource #(\d+)",
        await _said(
            app, admin, f'/resource add title:"{w} budget guide" url:https://example.org/{w}'
        ),
    )
    secrets = (
        who.champion.title(),
        who.asker.title(),
        who.admin.title(),
        f"{w} City Council",
        f"{w} budgets",
        f"{w} members clinic",
        f"{w} council adopted",
        f"How did {w} fund",
        f"{w} used a municipal",
        f"The {w} toolkit",
        f"The {w} session",
    )
    return Side(who, public, private, story, question, announcement, resource, secrets)


SHARERS = ("kato", "zawadi")
"""More of A's people, so that five share their self-assessments (figures need five)."""


async def fill_newer_features(app: BotApp, side: Side) -> tuple[str, ...]:
    """The newer features in one community, each with something only it may read: five
    self-assessments shared (the figures exist from five), an approved good practice its
    author agreed to publish, two people in a pairing round, a flag on its admin's resource.
    Returns the texts that must not reach the other community."""
    who, w = side.people, side.people.words
    admin, champion = who.admin, who.champion
    for name in SHARERS:
        await _said(app, name, "/profile set country Uganda", place=side.place)
        await _said(app, name, f"/community use {who.slug}")
    await _said(app, admin, f"/champion approve {who.published.title()}")
    for name in (admin, champion, who.published, *SHARERS):
        replies = await answer_all(app, name, [3] * 12, await say(app, name, "/assess start"))
        share = next(b.action for r in replies for row in r.buttons for b in row
                     if b.action.endswith("share"))  # fmt: skip
        await press(app, name, share)
    assert "5 members shared" in await _said(app, admin, "/assess network")

    await _said(app, champion, "/practice")
    for part in (
        f"{w} night buses that stop on request",
        f"{w}, 2025, with the transport office.",
        "Women walking home after late shifts felt unsafe.",
        "Drivers stop anywhere on the route after 9 pm.",
        "Incidents fell by a third.",
        "The first posters were only in English.",
        "Ask the riders first.",
        "transport@example.org",
        "yes",
    ):
        await _said(app, champion, part)
    practice = _number(r"#(\d+) " + w, await _said(app, admin, "/review"))
    assert "approved" in await _said(app, admin, f"/review approve {practice}")
    [export] = [
        f for r in await say(app, admin, "/practice export markdown") for f in r.attachments
    ]
    assert f"{w} night buses" in export.data.decode()

    for name in (champion, who.published):
        await _said(app, name, "/meet join")
    assert "2 members" in await _said(app, admin, "/meet round")
    await _said(app, champion, f"/resource flag {side.resource} broken")
    assert f"{w} budget guide" in await _said(app, admin, "/resource flags")
    return (
        "5 members shared their results",
        f"{w} night buses",
        "Drivers stop anywhere",
        f"{w} budget guide",
    )


async def seed(app: BotApp) -> tuple[Side, Side]:
    """Both communities filled in; then B's admin writes once in A's chat (joining A)."""
    a = await _fill(app, A)
    b = await _fill(app, B)
    await _said(app, B.admin, "/webinars", place=a.place)
    await _said(app, B.admin, f"/community use {B.slug}")  # private chats act on B
    return a, b
