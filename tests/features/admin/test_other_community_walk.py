"""The admin walk as the admin of the *other* community, on SQLite and PostgreSQL.

B's admin (Bruno, made admin of B by the secretariat, and a plain member of A since he wrote
once in A's chat) types every admin command of the registry against A's things:

- naming one of A's objects (an event, open to all or to A only; a story; a question; an
  announcement; a resource A's admin added, or one of the shared catalogue; a member of A), from
  a private chat and from B's chat: each answer is word for word the answer about an object
  that does not exist, so it does not even tell that A's object exists;
- anything at all, in A's chat: the core refuses, since he is only a member there;

and not one row of the database changes, the outbox included. The commands that name no
object act on the community they are typed in: run by Bruno for B, they show nothing of A and
change nothing of A's (every row written is B's).

A command added later is walked too: it must say which of these it is (:data:`NAMES` or
:data:`ACTS_ON_OWN_COMMUNITY`), or this test fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Place, Reply
from bot.core.registry import CommandSpec
from storage.models import Base, Member
from storage.models_calls import ContributorCall
from storage.models_contributions import Contribution
from storage.models_networking import MentorRequest, Mentorship
from storage.statuses import (
    CallKind,
    CallStatus,
    ContributionKind,
    ContributionStatus,
    VolunteerStatus,
)
from tests.admin_walk import admin_commands, command_line, refusal, snapshot
from tests.helpers import private, say
from tests.two_communities import SHARERS, A, B, Side, fill_newer_features, seed, start

NAMES: dict[tuple[str, str], str] = {
    ("webinar", "id"): "event",
    ("story", "id"): "story",
    ("announce", "id"): "announcement",
    ("resource", "id"): "resource",
    ("thread", "question"): "question",
    ("champion", "member"): "member",
    ("admin", "member"): "member",
    ("mentor", "id"): "mentorship",
    ("review", "id"): "contribution",
    ("call", "id"): "call",
}
"""(first command word, argument) → the kind of object the argument names."""

ACTS_ON_OWN_COMMUNITY = frozenset(
    {
        ("announce",),
        ("announce", "ping"),
        ("audit",),
        ("call", "add"),
        ("call", "list"),
        ("meet", "report"),
        ("meet", "round"),
        ("meet", "schedule"),
        ("meet", "size"),
        ("mentor", "approve"),
        ("mentor", "propose"),
        ("practice", "export"),
        ("review",),
        ("assess", "network"),
        ("champion", "list"),
        ("digest",),
        ("digest", "export"),
        ("export",),
        ("resource", "add"),
        ("resource", "flags"),
        ("stats",),
        ("story", "pending"),
        ("webinar", "add"),
        ("webinar", "missed"),
    }
)
"""Commands naming no object: they act on the community of the chat they are typed in."""

MISSING = {"member": "Nobody Known", "question": "Q999"}
"""What names nothing at all (numbers: ``999``)."""

OWN_VALUES = {"details": "UTC 60m", "title": "Sfax mentoring circle"}

CALL_TITLE = f"{A.words} toolkit review"
"""A's call: a word only A writes, so B's /call list showing it fails the walk."""


def a_people_values(a: Side) -> dict[tuple[str, ...], dict[str, str]]:
    """The second member argument of a command naming an object, as one of A's people: the
    object's lookup must refuse before the member's is even tried."""
    return {
        ("mentor", "pin"): {"mentor": a.people.admin.title()},
        ("call", "pick"): {"members": a.people.champion.title()},
    }


def named_object(spec: CommandSpec) -> tuple[str, str] | None:
    """(argument, kind of object) when ``spec`` names an object, else None."""
    for arg in spec.args:
        kind = NAMES.get((spec.path[0], arg.name))
        if kind is not None:
            return arg.name, kind
    return None


async def member_number(app: BotApp, name: str) -> int:
    async with app.database.engine.connect() as connection:
        found = await connection.scalar(select(Member.id).where(Member.display_name == name))
    assert isinstance(found, int), name
    return found


async def references(app: BotApp, a: Side) -> dict[str, list[str]]:
    """How Bruno may name each kind of A's objects: by number, by name, by prefix, by a
    wildcard that would match anyone if it were not taken literally."""
    champion = a.people.champion.title()
    return {
        "event": [str(a.public_event), str(a.community_event)],
        "story": [str(a.story)],
        "announcement": [str(a.announcement)],
        "resource": [str(a.resource), "1"],  # A's own; one of the shared catalogue
        "question": [f"Q{a.question}", str(a.question)],
        "mentorship": [str(await a_mentorship(app, a))],
        "contribution": [str(await a_contribution(app, a))],
        "call": [str(await a_call(app, a))],
        "member": [
            champion,
            a.people.admin.title(),
            a.people.asker.title(),
            champion[:3],
            f"#{await member_number(app, champion)}",
            "%",
            "_",
            "%a%",
        ],
    }


async def a_mentorship(app: BotApp, a: Side) -> int:
    """A mentorship proposed in A (between two of A's members), for ``/mentor ban``."""
    mentor = await member_number(app, a.people.champion.title())
    mentee = await member_number(app, a.people.asker.title())
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug(a.people.slug)
        assert community is not None
        request = MentorRequest(
            community_id=community.id, member_id=mentee, goals="quotas", created_at=now
        )
        uow.session.add(request)
        await uow.flush()
        mentorship = Mentorship(
            community_id=community.id, request_id=request.id, mentor_id=mentor,
            mentee_id=mentee, proposed_at=now,
        )  # fmt: skip
        uow.session.add(mentorship)
        await uow.flush()
        return mentorship.id


async def a_contribution(app: BotApp, a: Side) -> int:
    """A resource A's champion shared, waiting for A's admins (``/review``); its title is
    one of A's secrets, so B's queue showing it would fail the walk."""
    champion = await member_number(app, a.people.champion.title())
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug(a.people.slug)
        assert community is not None
        shared = Contribution(
            kind=ContributionKind.RESOURCE, community_id=community.id,
            contributor_member_id=champion, status=ContributionStatus.PENDING,
            title=a.secrets[-1][:200], url="https://example.org/a-only", created_at=now,
            submitted_at=now, updated_at=now,
        )  # fmt: skip
        await uow.contributions.add(shared)
        return shared.id


async def a_call(app: BotApp, a: Side) -> int:
    """A call for reviewers posted in A, with one of A's champions volunteering."""
    champion = await member_number(app, a.people.champion.title())
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug(a.people.slug)
        assert community is not None
        call = await uow.calls.add(
            ContributorCall(
                community_id=community.id, kind=CallKind.REVIEWER, title=CALL_TITLE,
                deadline=now + timedelta(days=7), status=CallStatus.OPEN, created_at=now,
            )
        )  # fmt: skip
        await uow.calls.answer(call.id, champion, "console", VolunteerStatus.VOLUNTEERED, now)
        return call.id


def answer(replies: Sequence[Reply], reference: str) -> list[tuple[str, Any]]:
    """What Bruno reads, with the reference he typed blanked out."""
    return [(r.body.plain().replace(reference, "<ref>"), r.destination) for r in replies]


def rows_of(table: str, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    names = [column.name for column in Base.metadata.tables[table].columns]
    return [dict(zip(names, row, strict=True)) for row in rows]


async def test_every_admin_command_of_the_other_community_is_refused(
    db_url: str, clock: ManualClock
) -> None:
    app = await start(db_url, clock)
    try:
        await _walk(app)
    finally:
        await app.close()


async def _walk(app: BotApp) -> None:
    a, b = await seed(app)
    secrets = (*a.secrets, *await fill_newer_features(app, a), CALL_TITLE)
    a_people = await _a_people(app)
    second = a_people_values(a)
    bruno = B.admin
    b_places: list[Place] = [private(bruno), b.place]
    refs = await references(app, a)
    specs = admin_commands(app.registry)
    unclassified = [
        s.name for s in specs if named_object(s) is None and s.path not in ACTS_ON_OWN_COMMUNITY
    ]
    assert unclassified == [], f"say what these act on: {unclassified}"

    before = await snapshot(app)
    walked = 0
    for spec in specs:
        named = named_object(spec)
        if named is None:
            continue
        argument, kind = named
        for reference in refs[kind]:
            missing = MISSING.get(kind, "999")
            others = second.get(spec.path, {})
            line = command_line(app.registry, spec, {**others, argument: reference})
            twin = command_line(app.registry, spec, {**others, argument: missing})
            for place in b_places:
                got = await say(app, bruno, line, place=place)
                expected = await say(app, bruno, twin, place=place)
                assert answer(got, reference) == answer(expected, missing), (line, place)
                assert "no " in got[0].body.plain() or "found no" in got[0].body.plain(), line
                walked += 1
    for spec in specs:  # in A's chat, Bruno is a member of A, nothing more
        named = named_object(spec)
        values = {named[0]: refs[named[1]][0]} if named else OWN_VALUES
        line = command_line(app.registry, spec, values)
        [refused] = await say(app, bruno, line, place=a.place)
        assert refused.body.plain() == refusal("en", spec), line
        walked += 1
    assert walked >= 60
    assert await snapshot(app) == before  # nothing changed, not one outbox row either

    # The commands that name no object act on B, where Bruno is admin: nothing of A shows.
    b_id = await _community_id(app, b.people.slug)
    for spec in specs:
        if spec.path not in ACTS_ON_OWN_COMMUNITY:
            continue
        line = command_line(app.registry, spec, OWN_VALUES)
        for place in b_places:
            replies = await say(app, bruno, line, place=place)
            shown = "\n".join(
                [r.body.plain() for r in replies]
                + [
                    f.data.decode()
                    for r in replies
                    for f in r.attachments
                    if not f.mime_type.startswith("image/")  # pictures: drawn from the text
                ]
            )
            assert "something went wrong" not in shown, line
            leaked = [secret for secret in secrets if secret in shown]
            assert leaked == [], (line, leaked)
    after = await snapshot(app)
    for table, rows in before.items():
        gone = [row for row in rows if row not in after[table]]
        assert gone == [], table  # no row of anyone changed or went away
        new = rows_of(table, [row for row in after[table] if row not in rows])
        assert all(row.get("community_id", b_id) == b_id for row in new), (table, new)
        pointing = [c.name for c in Base.metadata.tables[table].columns
                    if any(fk.column.table.name == "members" for fk in c.foreign_keys)]  # fmt: skip
        assert not [r for r in new for c in pointing if r[c] in a_people], (table, new)


async def _a_people(app: BotApp) -> set[int]:
    """The member numbers of A's people who are not also in B (the secretariat is in both)."""
    names = [A.admin, A.champion, A.asker, A.published, *SHARERS]
    return {await member_number(app, name.title()) for name in names}


async def _community_id(app: BotApp, slug: str) -> int:
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug(slug)
        assert community is not None
        return community.id
