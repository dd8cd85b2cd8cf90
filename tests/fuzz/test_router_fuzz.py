"""Fuzzing the whole bot through the router, on SQLite and PostgreSQL.

Hypothesis builds requests from the registry (every command, its declared arguments filled with
plausible, boundary and hostile values, typed or as slash options), plain text, button presses
(the bot's own and made-up ones), inline lookups and autocomplete queries, from the admin, a
champion, a member and strangers with any display name on any platform. For every one:

- nothing raises and nothing is logged as an error; no reply is the apology;
- every reply renders as Telegram HTML that Telegram's rules accept and that reads as written,
  and as Discord markdown with no working mention and no markup outside its place
  (``tests/fuzz/checks.py``); titles shown outside the message (threads, inline results) are
  clean names;
- at the end, every message waiting in the outbox (question threads in the advice places,
  relays, announcements, reminders) passes the same checks.

The app starts in a realistic state: two communities (the fuzz's group chat is the second's,
private chats act on the first), advice places on every platform, and every feature with data,
some of it in flight (question threads, a pairing round's intros and a relay, a mentor asked,
reminders, a share waiting, a call with a volunteer, a vote and a flag, a self-assessment and a
good practice half written); ``_in_flight`` checks it is so. The app keeps its database
between examples, so later inputs meet what earlier ones created.
``make test`` runs :data:`DEFAULT_EXAMPLES` examples per database with a fixed seed; set
``FUZZ_EXAMPLES`` (e.g. ``FUZZ_EXAMPLES=100000``) for a long run with a random seed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Executable, select

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.i18n import Translator
from bot.core.messages import Place, PlaceKind, Platform, Reply, Request
from bot.core.suggestions import SuggestionQuery, suggest
from bot.delivery.outbox import payload_reply
from storage.models import Conversation, OutboxMessage, Question
from storage.models_assessment import Assessment
from storage.models_calls import CallVolunteer, ResourceFlag, ResourceVote
from storage.models_contributions import Contribution
from storage.models_networking import MeetPairing, Mentorship
from storage.statuses import ChatPurpose
from tests.conftest import make_settings
from tests.fuzz.checks import problems
from tests.fuzz.inputs import ADMIN, CHAMPION, MEMBER, actors, hostile, requests
from tests.helpers import say, texts

DEFAULT_EXAMPLES = 250  # about 9 s of CPU per database; FUZZ_EXAMPLES for long runs
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
LONG_RUN = "FUZZ_EXAMPLES" in os.environ
T = TypeVar("T")

PARTNER = "grace"
"""A second champion: Moana's pairing partner and mentee, and the second community's admin."""

SEED_STEPS = (
    (CHAMPION, "/profile set country Cook Islands"),
    (ADMIN, "/champion approve Moana"),
    (CHAMPION, "/story Women-led cyclone recovery plan"),
    (ADMIN, '/webinar add "Gender budgeting" 2026-12-03 10:00 Europe/Madrid 90m'),
    (MEMBER, "/rsvp 1"),
    (MEMBER, "/ask How do councils stop online abuse of candidates? #gbv"),
    (CHAMPION, "/answer Q1 We train staff and publish a reporting form."),
    (ADMIN, "/announce chats The toolkit training opens Monday"),
    (ADMIN, '/resource add title:"Budget guide" url:https://example.org/guide'),
    # The newer features, in flight: a pairing round with its intros and a relay queued, a
    # mentor asked, a share waiting for review, a call with a volunteer, a vote and a flag,
    # a self-assessment and a good practice half written.
    (CHAMPION, "/profile set languages en"),
    (PARTNER, "/profile set languages en"),
    (ADMIN, "/champion approve Grace"),
    (CHAMPION, "/meet join"),
    (PARTNER, "/meet join"),
    (ADMIN, "/meet round"),
    (CHAMPION, "/meet say Kia orana, see you on Thursday?"),
    (CHAMPION, "/mentor offer 1 6 gender budgeting"),
    (PARTNER, "/mentor request gender budgeting for my council"),
    (ADMIN, "/mentor propose"),
    (ADMIN, "/mentor approve"),
    (CHAMPION, "/share https://example.org/candidates A toolkit for women candidates"),
    (ADMIN, '/call add reviewer 2026-12-10 18:00 "Chapter review"'),
    (CHAMPION, "/call volunteer 1"),
    (PARTNER, "/resource vote 1 up"),
    (PARTNER, "/resource flag 1 broken"),
    (MEMBER, "/assess start"),
    (MEMBER, "3"),
    (PARTNER, "/practice"),
    (PARTNER, "Night buses that stop on request"),
)
SEED_IN_B = (
    (ADMIN, "/admin add Grace"),
    (MEMBER, "/ask Which rules protect candidates from online abuse? #gbv"),
    (PARTNER, '/webinar add "Sfax budget clinic" 2026-12-04 10:00 Africa/Tunis 60m'),
    (ADMIN, "/announce chats The Sfax working group meets on Tuesday"),
)
"""In the fuzz's group chat, the second community's: Grace is its admin."""


class _Errors(logging.Handler):
    """Every record logged at ERROR or above while the fuzz runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _logged_errors() -> Iterator[_Errors]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@pytest.fixture
async def fuzz_app(db_url: str) -> AsyncIterator[BotApp]:
    from bot.core.clock import ManualClock

    second = CommunityConfig(
        slug="cc-women",
        name="Connective Cities: Women's Leadership",
        timezone="Africa/Tunis",
        chats=(ChatLink(platform="console", chat_id="room", purpose="general"),),
    )  # the fuzz's group chat ("room", tests/fuzz/inputs.py) is the second community's
    settings = make_settings(db_url, communities=(second,))
    app = await BotApp.start(settings, clock=ManualClock())
    async with app.unit_of_work() as uow:  # questions go out as threads on every platform
        community = await uow.communities.by_slug(app.default_community)
        assert community is not None
        for platform in Platform:
            await uow.communities.link_chat(
                community, platform=platform.value, chat_id="advice", purpose=ChatPurpose.ADVICE
            )
    await say(app, PARTNER, "/profile set country Zambia")
    room = Place(Platform.CONSOLE, "room", PlaceKind.GROUP)
    for steps, place in ((SEED_STEPS, None), (SEED_IN_B, room)):
        for name, line in steps:
            said = texts(await say(app, name, line, admin=name == ADMIN, place=place))
            assert "Usage" not in said and "went wrong" not in said, (line, said)
            assert "no proposal" not in said.lower() and "nothing" not in said.lower(), line
    assert await _in_flight(app) == EXPECTED_IN_FLIGHT
    yield app
    await app.close()


QUEUED_KINDS = {"advice.question", "meet.intro", "meet.say", "mentor.ask", "reminder"}
"""The queued outbox kinds the check compares (any others are left out of it)."""

EXPECTED_IN_FLIGHT = {
    "communities with a question": 2,
    "pairings": 2,
    "mentorships asked": 1,
    "contributions (a share, a draft)": 2,
    "call volunteers": 1,
    "resource votes": 1,
    "resource flags": 1,
    "assessments open": 1,
    "conversations": 1,
    "queued kinds": QUEUED_KINDS,
}


async def _in_flight(app: BotApp) -> dict[str, object]:
    """What the seeded state holds, so the fuzz walks realistic state (the walk test's rule:
    two communities, relays and reminders in flight, every feature with data)."""

    async with app.database.engine.connect() as c:

        async def count(statement: Executable) -> int:
            return len((await c.execute(statement)).all())

        kinds = set((await c.execute(select(OutboxMessage.kind).where(
            OutboxMessage.status == "pending"))).scalars())  # fmt: skip
        return {
            "communities with a question": len(
                set((await c.execute(select(Question.community_id))).scalars())
            ),
            "pairings": await count(select(MeetPairing)),
            "mentorships asked": await count(
                select(Mentorship).where(Mentorship.asked_at.is_not(None))
            ),
            "contributions (a share, a draft)": await count(select(Contribution)),
            "call volunteers": await count(select(CallVolunteer)),
            "resource votes": await count(select(ResourceVote)),
            "resource flags": await count(select(ResourceFlag)),
            "assessments open": await count(
                select(Assessment).where(Assessment.finished_at.is_(None))
            ),
            "conversations": await count(select(Conversation)),
            "queued kinds": kinds & QUEUED_KINDS,
        }


async def test_no_input_breaks_the_bot(fuzz_app: BotApp) -> None:
    app = fuzz_app
    loop = asyncio.get_running_loop()
    buttons: list[str] = []
    sources = sorted(
        {arg.suggest for spec in app.registry.all() for arg in spec.args if arg.suggest}
    )

    def run(awaitable: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapped(), loop).result(timeout=120)

    def check(request: Request, replies: list[Reply], errors: _Errors) -> None:
        logged = [f"{r.name}: {r.getMessage()}" for r in errors.records]
        assert not logged, (request, logged)
        for reply in replies:
            found = problems(reply)
            assert not found, (request, reply.body.plain()[:500], found)
            for row in reply.buttons:
                for button in row:
                    if button.action not in buttons and len(buttons) < 300:
                        buttons.append(button.action)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not LONG_RUN,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: the database remembers
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        request = data.draw(requests(app.registry, buttons), label="request")
        with _logged_errors() as errors:
            replies = run(app.handle(request))
            check(request, replies, errors)
            if data.draw(st.integers(0, 9), label="also ask") == 0:
                check(request, run(app.router.refusal(request)), errors)
            if sources and data.draw(st.integers(0, 9), label="also suggest") == 0:
                query = SuggestionQuery(
                    ports=app,
                    actor=data.draw(actors(), label="who types"),
                    prefix=data.draw(hostile, label="typed so far"),
                    translator=Translator(data.draw(st.sampled_from(("en", "ar")))),
                )
                run(suggest(query, data.draw(st.sampled_from(sources), label="source")))
                check(request, [], errors)

    await asyncio.to_thread(example)

    # What waits in the outbox (question threads, relays, announcements, reminders) is shown
    # later by the dispatcher: it must render as safely as the replies did.
    async with app.database.engine.connect() as connection:
        payloads = (await connection.execute(select(OutboxMessage.payload))).scalars().all()
    assert payloads
    for payload in payloads:
        reply = payload_reply(payload)
        assert not problems(reply), (reply.body.plain()[:500], problems(reply))
