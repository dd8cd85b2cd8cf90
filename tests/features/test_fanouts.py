"""Fan-outs to a community's champions run as many statements at any size, and tell the same
people as before (issue 17: set-based work).

A new question's notices, a call's invitations and last calls, and ``/announce champions``
read their recipients as plain rows in one statement (``storage/repositories/recipients.py``).
They used to load every champion as an ORM member with their accounts (``selectin``: one more
statement per 500 members, made 4 here by ``small_chunks``), and the advice notices asked three
more questions per champion. Each path is counted at 10 and at 60 champions.

So are a pairing round (its participants read as plain rows with their accounts, one
statement; the pairings one insert) and a sweep of retake invitations (one read of the due
sittings with where to write, one update, one insert): 22 -> 84 and 32 -> 132 statements on
SQLite before.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.features.advice.service import notify_matching_champions
from bot.features.announcements.service import publish
from bot.features.assessment.retake import invite_to_retake
from bot.features.calls import reminders
from bot.features.calls.service import invite
from bot.features.networking.rounds import start_round
from storage.models import Account, Community, Member, OutboxMessage, Question
from storage.models_calls import ContributorCall
from storage.statuses import AnnouncementAudience, CallKind, NoticeReason
from storage.unit_of_work import UnitOfWork
from tests.conftest import make_settings
from tests.features.admin.test_growth import CHUNK, small_chunks  # noqa: F401 (a fixture)
from tests.growth_data import fill
from tests.helpers import counted, say

Path = Callable[[UnitOfWork, Community, Member, datetime], Awaitable[int]]


async def _advice(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    question = Question(
        id=await _next_id(uow, Question),
        community_id=community.id, asker_id=asker.id, title="Budget lines?", body="Ideas?",
        themes=[], asked_platform="console", created_at=now,
    )  # fmt: skip
    await uow.advice.add(question)
    told = await notify_matching_champions(uow, community, question, now=now, daily_cap=50)
    return len(told)


async def _next_id(uow: UnitOfWork, model: type[Question] | type[ContributorCall]) -> int:
    """The fill writes its ids itself (PostgreSQL's sequences do not follow)."""
    return int(await uow.session.scalar(select(func.max(model.id))) or 0) + 1


def _call(community: Community, asker: Member, now: datetime) -> ContributorCall:
    return ContributorCall(
        community_id=community.id, kind=CallKind.REVIEWER, title="Chapter 3", themes=[],
        deadline=now + timedelta(hours=12), created_by=asker.id, created_at=now,
    )  # fmt: skip


async def _invite(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    call = _call(community, asker, now)
    call.id = await _next_id(uow, ContributorCall)
    uow.session.add(call)
    await uow.session.flush()
    people, _chats = await invite(uow, call, community, now)
    return people


async def _last_call(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    call = _call(community, asker, now)
    call.id = await _next_id(uow, ContributorCall)
    uow.session.add(call)
    await uow.session.flush()
    return len(await reminders._for_call(uow, call, now)) - 1  # the admin's reminder aside


async def _announce(uow: UnitOfWork, community: Community, asker: Member, now: datetime) -> int:
    _announcement, queued = await publish(
        uow, community, asker, "Training on Monday", AnnouncementAudience.CHAMPIONS,
        ping_role=False, now=now,
    )  # fmt: skip
    return queued


PATHS: dict[str, Path] = {
    "advice notices": _advice,
    "call invitations": _invite,
    "call last calls": _last_call,
    "/announce champions": _announce,
}


async def _champions_id(app: BotApp) -> int:
    async with app.database.session() as session:
        found = await session.scalar(select(Community.id).where(Community.slug == "champions"))
    assert found is not None
    return int(found)


async def _run(app: BotApp, path: Path) -> tuple[int, int]:
    """(statements, people told) for one run of ``path``, its setup not counted."""
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        sofia = await uow.members.by_account("console", "sofia")
        assert community is not None and sofia is not None
        with counted(app) as statements:
            told = await path(uow, community, sofia, app.clock.now())
    return len(statements), told


@pytest.mark.usefixtures("small_chunks")
async def test_champion_fan_outs_run_as_many_statements_at_any_size(
    db_url: str, clock: ManualClock
) -> None:
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "sofia", "/start")
    community_id = await _champions_id(app)
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in PATHS}
    for size in (10, 50):
        await fill(app.database, community_id, size, clock.now())
        for name, path in PATHS.items():
            found[name].append(await _run(app, path))
            clock.advance(timedelta(minutes=1))
    await app.close()
    told = {name: (a[1], b[1]) for name, (a, b) in found.items()}
    assert told == dict.fromkeys(PATHS, (10, 60))
    grown = {name: (a[0], b[0]) for name, (a, b) in found.items() if a[0] != b[0]}
    assert grown == {}, "\n".join(f"{n}: {a} -> {b} statements" for n, (a, b) in grown.items())
    assert CHUNK < 10


async def test_each_fan_out_tells_exactly_whom_it_told_before(
    db_url: str, clock: ManualClock
) -> None:
    """Who is told, where and in which language, with every exclusion: no account, another
    community, not a champion, notices turned off, the daily cap (a day's window), the asker,
    told already for this reason, another region, a theme not theirs."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    now = clock.now()
    async with app.database.unit_of_work() as uow:
        home = await uow.communities.by_slug("champions")
        other = await uow.communities.ensure(
            slug="other", name="Other", timezone="UTC", default_language="en", now=now
        )
        assert home is not None
        people: dict[str, Member] = {}

        async def person(name: str, *, expertise: str = "gbv", region: str | None = "mena",
                         role: str = "champion", language: str | None = None,
                         community: Community = home) -> Member:  # fmt: skip
            member = await uow.members.create(
                display_name=name.title(), platform="console", platform_user_id=name,
                username=None, language=language, now=now,
            )  # fmt: skip
            member.expertise, member.region = [expertise], region
            await uow.communities.set_role(community, member, role, now)
            people[name] = member
            return member

        ana = await person("ana", language="fr")
        ana.accounts.append(  # a newer account: the oldest is the one written to
            Account(platform="telegram", platform_user_id="9001", created_at=now)
        )
        ben = Member(display_name="Ben", languages=[], expertise=["gbv"], region="mena",
                     created_at=now, updated_at=now)  # fmt: skip
        uow.session.add(ben)  # a champion with no account: nowhere to write
        await uow.session.flush()
        await uow.communities.set_role(home, ben, "champion", now)
        await person("cleo")  # advice notices off
        await uow.advice.set_notices(people["cleo"].id, False)
        await person("dan", expertise="data")
        await person("eve", role="member")
        await person("fay", community=other)
        await person("gus")  # at the daily cap
        await person("hal")  # a notice two days ago: under the cap
        await person("ivy")  # the asker
        await person("jo")  # told already about this question
        await person("kim", region="latin_america")
        await person("lea", language="es", region=None)
        old = Question(community_id=home.id, title="Old", body="", themes=["gbv"],
                       asked_platform="console", created_at=now)  # fmt: skip
        question = Question(community_id=home.id, asker_id=people["ivy"].id, title="Help?",
                            body="Ideas?", themes=["gbv"], region="mena",
                            asked_platform="console", created_at=now)  # fmt: skip
        await uow.advice.add(old)
        await uow.advice.add(question)
        await uow.advice.add_notices(old.id, [people["gus"].id], NoticeReason.NEW, now)
        two_days = now - timedelta(days=2)
        await uow.advice.add_notices(old.id, [people["hal"].id], NoticeReason.NEW, two_days)
        await uow.advice.add_notices(question.id, [people["jo"].id], NoticeReason.NEW, now)
        call = ContributorCall(community_id=home.id, kind=CallKind.REVIEWER, title="Ch. 3",
                               themes=["gbv"], deadline=now + timedelta(hours=12),
                               created_at=now)  # fmt: skip
        uow.session.add(call)
        await uow.session.flush()
        sofia = await uow.members.create(
            display_name="Sofia", platform="console", platform_user_id="sofia", username=None,
            language=None, now=now,
        )  # fmt: skip

        told = await notify_matching_champions(uow, home, question, now=now, daily_cap=1)
        nudged = await notify_matching_champions(
            uow, home, question, now=now, daily_cap=5, reason=NoticeReason.NUDGE
        )
        await invite(uow, call, home, now)
        await publish(uow, home, sofia, "Hello", AnnouncementAudience.CHAMPIONS,
                      ping_role=False, now=now)  # fmt: skip
        rows = (await uow.session.scalars(select(OutboxMessage))).all()
        ids = {m.id: name for name, m in people.items()}

    def sent(prefix: str) -> dict[str, tuple[str, str, str]]:
        """name → (platform, chat, language of the text) of the rows whose key starts so."""
        found = {}
        for row in rows:
            if row.idempotency_key.startswith(prefix) and row.member_id in ids:
                text = str(row.payload["reply"])
                language = "fr" if "Annonce" in text or "nouvelle question" in text else (
                    "es" if "Anuncio" in text or "nueva pregunta" in text else "en")  # fmt: skip
                found[ids[row.member_id]] = (row.platform, row.chat_id, language)
        return found

    await app.close()
    notices = sent(f"advice:q{question.id}:notice:new:")
    assert sorted(notices) == ["ana", "hal"] == [ids[c.member_id] for c in told]
    assert notices["ana"] == ("console", "ana", "fr")  # her oldest account, her language
    assert notices["hal"] == ("console", "hal", "en")
    assert sorted(sent(f"advice:q{question.id}:notice:nudge:")) == ["ana", "gus", "hal", "jo"]
    assert len(nudged) == 4
    assert sorted(sent(f"call:{call.id}:invite:")) == ["ana", "cleo", "gus", "hal", "ivy", "jo",
                                                        "kim", "lea"]  # fmt: skip
    announced = sent("announce:")
    assert sorted(announced) == ["ana", "cleo", "dan", "gus", "hal", "ivy", "jo", "kim", "lea"]
    assert announced["ana"][2] == "fr" and announced["lea"][2] == "es"
    assert announced["kim"] == ("console", "kim", "en")


async def _round(app: BotApp, key: str) -> tuple[int, int]:
    """(statements, people told) for a pairing round of the champions community."""
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        if uow.session.get_bind().dialect.name == "postgresql":  # the fill wrote the ids itself
            await uow.session.execute(
                text("SELECT setval(pg_get_serial_sequence('meet_rounds', 'id'), max(id)) "
                     "FROM meet_rounds")
            )  # fmt: skip
        with counted(app) as statements:
            meet_round = await start_round(
                uow, community, key, now=now, ends_at=now + timedelta(days=7),
                meeting_channel="55",
            )  # fmt: skip
        assert meet_round is not None
        told = await uow.session.scalar(
            select(func.count()).where(
                OutboxMessage.idempotency_key.like(f"meet:{meet_round.id}:%")
            )
        )
    return len(statements), int(told or 0)


async def _retake(app: BotApp) -> tuple[int, int]:
    """(statements, people invited) for one sweep of retake invitations, months later."""
    later = app.clock.now() + timedelta(days=200)
    with counted(app) as statements:
        told = await invite_to_retake(app, later)
    return len(statements), told


@pytest.mark.usefixtures("small_chunks")
async def test_rounds_and_retakes_run_as_many_statements_at_any_size(
    db_url: str, clock: ManualClock
) -> None:
    """A pairing round's introductions and a sweep of retake invitations: the same number of
    statements with 10 and with 60 participants (sittings)."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "sofia", "/start")
    community_id = await _champions_id(app)
    found: dict[str, list[tuple[int, int]]] = {"round": [], "retake": []}
    for size in (10, 50):
        await fill(app.database, community_id, size, clock.now())
        found["round"].append(await _round(app, f"grow-round-{size}"))
        found["retake"].append(await _retake(app))
        clock.advance(timedelta(minutes=1))
    await app.close()
    assert [told for _, told in found["round"]] == [10, 60]  # the participants accumulate
    # every second new champion took it, and the admin's latest of her sittings each time
    assert [told for _, told in found["retake"]] == [6, 26]
    grown = {name: (a[0], b[0]) for name, (a, b) in found.items() if a[0] != b[0]}
    assert grown == {}, "\n".join(f"{n}: {a} -> {b} statements" for n, (a, b) in grown.items())
