"""Replies in groups, through the router: what the group reads and what only the caller reads.

The walk below lists every command a member (or an admin) can run in a group with the kind of
answer it gives there (see ``bot/core/personal.py``); a command added later must be listed, so
someone decides whether the group may read its answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import BotApp
from bot.config import HttpConfig
from bot.core.arguments import split_words
from bot.core.clock import ManualClock
from bot.core.messages import Destination, Reply
from bot.core.registry import Where
from tests.admin_walk import seed
from tests.conftest import make_settings
from tests.helpers import ROOM, say, texts

SHARED = "shared"
"""Answered in the group, for everybody there."""
PERSONAL = "personal"
"""Only the caller reads it (ephemeral, else privately); the group reads one pointer."""
PRIVATE = "private"
"""A form, file or code in the private chat; the group reads one pointer."""
NOTE = "note"
"""A confirmation or an error for the caller alone; the group reads nothing."""

ADMIN = "secretary"
WALK: list[tuple[str, str, str]] = [
    # (who, what they type in the group, the kind of answer)
    ("moana", "/help", PERSONAL),
    ("moana", "/webinars", PERSONAL),
    ("moana", "/profile", PERSONAL),
    ("moana", "/profile Grace", SHARED),
    ("moana", "/threads mine", PERSONAL),
    ("moana", "/threads open", SHARED),
    ("moana", "/thread Q1", SHARED),
    ("moana", "/search_advice councils abuse", SHARED),
    ("moana", "/resources budget", SHARED),
    ("moana", "/resources_more 5 budget", SHARED),
    ("moana", "/community", PERSONAL),
    ("moana", "/community use champions", NOTE),
    ("moana", "/rsvp 1", NOTE),
    ("moana", "/reminders 1 24h,1h", NOTE),
    ("moana", "/calendar", PRIVATE),
    ("moana", "/ics 1", PRIVATE),
    ("moana", "/calendar feed", PRIVATE),  # a secret address: never in a group
    ("moana", "/calendar feed revoke", PRIVATE),
    ("moana", "/unrsvp 1", NOTE),
    ("moana", "/comment 1 Very useful", NOTE),
    ("moana", "/rate 1 5", NOTE),
    ("moana", "/mydata", PRIVATE),
    ("moana", "/link", PRIVATE),
    ("moana", "/ask", PRIVATE),
    ("moana", "/cancel", NOTE),
    ("moana", "/ask Who has a code of conduct for council meetings? #gbv", NOTE),
    ("moana", "/answer Q1 We adopted one last year", NOTE),
    ("grace", "/solved Q1 1", NOTE),
    ("moana", "/advice_notices off", NOTE),
    ("moana", "/story Our council elected its first woman mayor", NOTE),
    ("moana", "/start", SHARED),  # a welcome, saying itself that the rest went privately
    ("moana", "/profile edit", PRIVATE),
    ("moana", "/profile set bio Mayor's adviser", NOTE),
    ("moana", "/language en", NOTE),
    ("moana", "/timezone Pacific/Rarotonga", NOTE),
    (ADMIN, "/champion list", PERSONAL),
    (ADMIN, "/champion approve Grace", NOTE),
    (ADMIN, "/champion remove Grace", NOTE),
    (ADMIN, "/admin add Grace", NOTE),
    (ADMIN, "/admin remove Grace", NOTE),
    (ADMIN, "/stats", PERSONAL),
    (ADMIN, "/audit", PERSONAL),
    (ADMIN, "/export profiles", PRIVATE),
    (ADMIN, "/story pending", PERSONAL),  # stories not yet published
    (ADMIN, "/story approve 1", NOTE),
    (ADMIN, "/story reject 2", NOTE),
    (ADMIN, "/digest", PERSONAL),
    (ADMIN, "/digest export", PRIVATE),
    (ADMIN, "/announce chats The toolkit training opens Monday", NOTE),
    (ADMIN, "/announce ping The toolkit training opens Monday", NOTE),
    (ADMIN, "/announce status 1", PERSONAL),
    # a confirmation, and the card in the admin's own zone (the chats get the community's)
    (ADMIN, '/webinar add "Quotas clinic" 2026-12-10 15:00 Europe/Madrid 60m', PERSONAL),
    (ADMIN, "/webinar edit 2 title Quotas clinic, part one", PERSONAL),
    (ADMIN, "/webinar reschedule 2 2026-12-11 15:00", PERSONAL),
    (ADMIN, "/webinar recording 1 https://example.org/recording", NOTE),
    (ADMIN, "/webinar feedback 1", PERSONAL),
    (ADMIN, "/webinar missed", PERSONAL),
    (ADMIN, "/webinar cancel 2", NOTE),
    (ADMIN, '/resource add title:"Budget guide" url:https://example.org/guide', SHARED),
    (ADMIN, '/resource edit 1 title:"A changed title"', SHARED),
    ("moana", "/resource vote 1 up", NOTE),  # the buttons under each result
    ("moana", "/resource flag 1", NOTE),
    ("moana", "/resource flag 1 broken", NOTE),
    (ADMIN, "/resource flags", PERSONAL),  # the curators' queue
    (ADMIN, "/resource fix 1 https://example.org/new-guide", SHARED),
    (ADMIN, "/resource retire 1", SHARED),
    (ADMIN, "/resource remove 1", SHARED),  # what changed in the hub, for whoever is there
    (ADMIN, "/thread themes Q1 gbv", NOTE),
    (ADMIN, "/thread close Q1", NOTE),
    (ADMIN, "/thread reopen Q1", NOTE),
    (ADMIN, "/thread delete Q1", NOTE),
    ("moana", "/meet join", NOTE),
    ("moana", "/meet status", PERSONAL),  # the caller's partner and dates, in their zone
    ("moana", "/meet not Grace", NOTE),
    ("moana", "/meet findable yes", NOTE),
    ("moana", "/find budget", SHARED),  # a search, like /resources
    ("moana", "/meet thanks Lovely talk", NOTE),
    ("moana", "/meet answer 1 met", NOTE),
    ("moana", "/meet pause 2w", NOTE),
    ("moana", "/meet leave", NOTE),
    (ADMIN, "/meet schedule weekly monday 09:00", NOTE),
    (ADMIN, "/meet size 3", NOTE),
    (ADMIN, "/meet round", PERSONAL),
    (ADMIN, "/meet report", PERSONAL),
    ("grace", "/mentor offer 2 6 legal quotas", NOTE),
    ("moana", "/mentor request first campaign, legal quotas", NOTE),
    (ADMIN, "/mentor propose", PERSONAL),  # who would mentor whom, and why: for the admin
    (ADMIN, "/mentor ban 9", NOTE),
    (ADMIN, "/mentor pin 9 Grace", NOTE),
    (ADMIN, "/mentor approve", NOTE),
    ("grace", "/mentor accept 9", NOTE),
    ("grace", "/mentor decline 9", NOTE),
    ("grace", "/mentor end 9", NOTE),
    ("grace", "/mentor goal 9 first campaign", NOTE),
    ("grace", "/mentor until 9 2027-06-30", NOTE),
    ("grace", "/mentor checkin 9 1 well", NOTE),
    ("grace", "/mentor feedback 9 5", NOTE),
    ("moana", "/share https://example.org/walk-guide A guide to council budgets", NOTE),
    ("moana", "/share https://example.org/walk-other Notes from a regional meeting", NOTE),
    ("moana", "/share mine", PERSONAL),
    ("moana", "/practice", PRIVATE),  # a guided chat: in private
    ("moana", "/practice consent 3 no", NOTE),
    # a draft is written in /practice, not edited: the refusal is a note (the real answer, a
    # private chat, is checked in tests/features/contributions)
    ("moana", "/practice edit 3", NOTE),
    (ADMIN, "/review", PERSONAL),  # contributions not yet published
    (ADMIN, "/review change 1 Please add the year", NOTE),
    ("moana", "/share edit 1 theme:gender_budgeting", NOTE),
    (ADMIN, "/review approve 1", NOTE),
    (ADMIN, "/review decline 2 Not about gender equality", NOTE),
    (ADMIN, "/practice export", PRIVATE),
    (ADMIN, '/call add speaker 2026-12-01 18:00 "Speak on budgets" event=1', NOTE),
    (ADMIN, "/call list", PERSONAL),
    ("moana", "/call volunteer 1", NOTE),  # the button under a call
    ("moana", "/call withdraw 1", NOTE),
    ("moana", "/call volunteer 1", NOTE),  # again
    (ADMIN, "/call volunteers 1", PERSONAL),  # who volunteered: for the admin
    (ADMIN, "/call pick 1 Moana", NOTE),
    (ADMIN, '/call add reviewer 2026-12-01 18:00 "Review chapter 2"', NOTE),
    (ADMIN, "/call cancel 2 Postponed to spring", NOTE),  # volunteers told privately
    ("moana", "/assess start", PRIVATE),  # her own answers: questions go privately
    ("moana", "/assess take leadership", PRIVATE),  # resumes the open one, privately
    ("moana", "/asq 1 0 3", PRIVATE),  # a button press: the next question, privately
    ("moana", "/assent 1 share", NOTE),
    ("moana", "/assess history", PRIVATE),
    ("moana", "/assess result", NOTE),  # none finished yet: a polite note
    ("moana", "/assess export", PRIVATE),
    ("moana", "/assess action budgeting 2027-01-15 Read the guide", NOTE),
    (ADMIN, "/assess network", NOTE),  # fewer than five shared: refused, to the admin alone
    ("moana", "/forget", PRIVATE),
    ("moana", "/forget confirm", PRIVATE),
]


@pytest.fixture
async def app_with_feeds(sqlite_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    """The bot with calendar feeds switched on, so ``/calendar feed`` answers for real."""
    http = HttpConfig(public_url="https://calendar.example.org")
    app = await BotApp.start(make_settings(sqlite_url, http=http), clock=clock)
    yield app
    await app.close()


def kind_of(replies: list[Reply]) -> str:
    destinations = [reply.destination for reply in replies]
    assert Destination.PERSONAL not in destinations  # the router always resolves it
    assert destinations.count(Destination.POINTER) <= 1
    if Destination.HERE in destinations:
        return SHARED
    if Destination.POINTER in destinations:
        assert destinations[-1] is Destination.POINTER  # after what it points at
        return PRIVATE if Destination.PRIVATE in destinations else PERSONAL
    return NOTE


def for_the_group(replies: list[Reply]) -> str:
    """What everybody in the group reads."""
    seen = (Destination.HERE, Destination.POINTER)
    return texts([reply for reply in replies if reply.destination in seen])


def for_the_caller(replies: list[Reply]) -> str:
    return texts([reply for reply in replies if reply.destination is Destination.EPHEMERAL])


async def test_every_command_runnable_in_a_group_answers_the_group_or_the_caller(
    app_with_feeds: BotApp,
) -> None:
    app = app_with_feeds
    walked = set()
    for _who, line, _kind in WALK:
        spec, _used = app.registry.resolve(split_words(line[1:]))
        assert spec is not None, line
        walked.add(spec.path)
    in_groups = {spec.path for spec in app.registry.all() if spec.where is not Where.PRIVATE}
    assert walked == in_groups, "classify the new command in WALK"

    await seed(app)
    await say(app, "grace", "/start")
    await say(app, "moana", "/story A second story")
    wrong = []
    for who, line, expected in WALK:
        replies = await say(app, who, line, place=ROOM, admin=who == ADMIN)
        said = texts(replies)
        assert "Usage" not in said and "went wrong" not in said, (line, said)
        if kind_of(replies) != expected:
            wrong.append((line, expected, kind_of(replies), said[:80]))
    assert wrong == []


async def test_help_in_a_group_goes_to_the_caller_and_the_group_reads_a_pointer(
    app: BotApp,
) -> None:
    replies = await say(app, "amina", "/help", place=ROOM)
    assert for_the_group(replies) == "Amina, I sent you my answer privately."
    assert "What I can do for you" in for_the_caller(replies)
    privately = await say(app, "amina", "/help")  # in a private chat: just the answer
    assert [r.destination for r in privately] == [Destination.HERE]
    assert "What I can do for you" in texts(privately)


async def test_webinars_in_a_group_never_show_the_callers_zone_to_the_group(app: BotApp) -> None:
    await say(app, "sofia", '/webinar add "Night owls" 2026-12-03 01:00 Europe/London 60m')
    await say(app, "amina", "/timezone Africa/Lusaka")
    replies = await say(app, "amina", "/webinars", place=ROOM)
    group, caller = for_the_group(replies), for_the_caller(replies)
    assert "Lusaka" not in group and "night" not in group and "Night owls" not in group
    assert "Africa/Lusaka" in caller and "that is at night for you" in caller
    assert "Night owls" in caller
