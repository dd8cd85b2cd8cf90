"""An event's fan-outs run as many statements at any number of attendees, and queue the same
reminders as before (issue 17: set-based work).

``sync_reminders`` and ``notify_attendees`` read an event's attendees as plain rows in one
statement (``storage/repositories/recipients.py``: ``attending``). They used to load each
RSVP with its member and the member's accounts (``selectin``: one more statement per 500
members, made 4 here by ``small_chunks``), and rendered each reply per attendee; a reply is now
built once per (language, zone). A one-member sync (an RSVP, new offsets) reads that member's
row only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.core.richtext import doc, line
from bot.features.events import reminders
from bot.features.events.reminders import sync_reminders
from bot.features.events.service import notify_attendees
from storage.models import Account, Event, Member, Membership, OutboxMessage, Rsvp
from storage.repositories.events import EventRepository
from storage.statuses import MembershipRole
from storage.unit_of_work import UnitOfWork
from tests.conftest import make_settings
from tests.features.admin.test_growth import CHUNK, small_chunks  # noqa: F401 (a fixture)
from tests.growth_data import fill
from tests.helpers import counted, say

Path = Callable[[UnitOfWork, Event, datetime], Awaitable[int]]


async def _sync(uow: UnitOfWork, event: Event, now: datetime) -> int:
    return await sync_reminders(uow, event, now=now)


BUILT: list[str] = []
"""The replies built, by builder: a fan-out builds one per reader's view, not per reader."""


def _counting(build: Callable[..., Reply]) -> Callable[..., Reply]:
    def counted_build(*args: Any) -> Reply:
        BUILT.append(build.__name__)
        return build(*args)

    return counted_build


def _change(translator: Translator, zone: str) -> Reply:
    BUILT.append("change")
    return Reply(body=doc(line(translator.gettext("Changed: “{title}”", title="x"), zone)))


async def _notify(uow: UnitOfWork, event: Event, now: datetime) -> int:
    event.revision += 1  # a new revision: every attendee is told again
    return await notify_attendees(uow, event, "change", _change, now=now)


PATHS: dict[str, Path] = {"sync_reminders": _sync, "notify_attendees": _notify}


async def _start(db_url: str, clock: ManualClock) -> tuple[BotApp, int, int]:
    """The bot, its community and a weekly event (two sessions, two offsets, a speaker)."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "sofia", "/start")
    now = clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        sofia = await uow.members.by_account("console", "sofia")
        assert community is not None and sofia is not None
        event = Event(
            community_id=community.id, title="Budget clinic", starts_at=now + timedelta(days=3),
            timezone="Europe/Madrid", offsets=[1440, 60], rrule="FREQ=WEEKLY;COUNT=2",
            speakers=[sofia.id], created_at=now, updated_at=now,
        )  # fmt: skip
        await uow.events.add(event)
        return app, community.id, event.id


async def _rsvp_everyone(app: BotApp, community_id: int, event_id: int, now: datetime) -> None:
    """RSVPs for the community's champions who have none: every other one on telegram (where
    they have no account) with their own offsets; a third read French, a third Spanish."""
    async with app.database.session() as session:
        joined = select(Rsvp.member_id).where(Rsvp.event_id == event_id)
        found = await session.scalars(
            select(Membership.member_id)
            .where(Membership.community_id == community_id)
            .where(Membership.role == MembershipRole.CHAMPION)
            .where(Membership.member_id.not_in(joined))
        )
        ids = list(found)
        for k, language in enumerate(("fr", "es")):
            chosen = [m for m in ids if m % 3 == k]
            await session.execute(
                update(Member).where(Member.id.in_(chosen)).values(language=language)
            )
        rows = [
            {"event_id": event_id, "member_id": m, "created_at": now,
             "platform": "telegram" if m % 2 else "console", "offsets": [30] if m % 2 else None}
            for m in ids
        ]  # fmt: skip
        await session.execute(insert(Rsvp), rows)
        await session.commit()


async def _run(app: BotApp, event_id: int, path: Path) -> tuple[int, int, int]:
    """(statements, rows queued, replies built) for one run of ``path``, loading the event
    not counted."""
    BUILT.clear()
    async with app.database.unit_of_work() as uow:
        event = await uow.events.get(event_id)
        assert event is not None
        with counted(app) as statements:
            queued = await path(uow, event, app.clock.now())
    return len(statements), queued, len(BUILT)


@pytest.mark.usefixtures("small_chunks")
async def test_event_fan_outs_run_as_many_statements_at_any_size(
    db_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("reminder_reply", "speaker_reminder_reply"):
        monkeypatch.setattr(reminders, name, _counting(getattr(reminders, name)))
    app, community_id, event_id = await _start(db_url, clock)
    found: dict[str, list[tuple[int, int, int]]] = {name: [] for name in PATHS}
    for size in (10, 50):
        await fill(app.database, community_id, size, clock.now())
        await _rsvp_everyone(app, community_id, event_id, clock.now())
        for name, path in PATHS.items():
            found[name].append(await _run(app, event_id, path))
    await app.close()
    # 10 then 60 attendees: two sessions x two offsets (or their own one), + the speaker's 4
    assert [q for _, q, _ in found["sync_reminders"]] == [30 + 4, 180 + 4]
    assert [q for _, q, _ in found["notify_attendees"]] == [10, 60]
    # once per view: 2 sessions x (3 languages x 3 offsets + the speaker's 2); 3 languages
    assert [b for _, _, b in found["sync_reminders"]] == [2 * (9 + 2)] * 2
    assert [b for _, _, b in found["notify_attendees"]] == [3, 3]
    grown = {name: (a[0], b[0]) for name, (a, b) in found.items() if a[0] != b[0]}
    assert grown == {}, "\n".join(f"{n}: {a} -> {b} statements" for n, (a, b) in grown.items())
    assert CHUNK < 10


@pytest.mark.usefixtures("small_chunks")
async def test_one_members_sync_reads_that_members_row_only(
    db_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An RSVP re-syncs the member's own reminders: the same statements at 10 and 60
    attendees, and one attendee row read."""
    app, community_id, event_id = await _start(db_url, clock)
    read: list[int] = []
    original = EventRepository.attending

    async def spy(self: EventRepository, *args: Any, **kwargs: Any) -> Any:
        rows = await original(self, *args, **kwargs)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(EventRepository, "attending", spy)
    found: list[tuple[int, int, int]] = []
    for size in (10, 50):
        await fill(app.database, community_id, size, clock.now())
        await _rsvp_everyone(app, community_id, event_id, clock.now())
        async with app.database.session() as session:
            last = await session.scalar(select(Rsvp.member_id).order_by(Rsvp.id.desc()))
        assert last is not None

        async def one(uow: UnitOfWork, event: Event, now: datetime, who: int = last) -> int:
            return await sync_reminders(uow, event, now=now, member_id=who)

        found.append(await _run(app, event_id, one))
    await app.close()
    assert [queued for _, queued, _ in found] == [2, 2]  # telegram, its own offset, two sessions
    assert found[0][0] == found[1][0]
    assert read == [1, 1]


async def test_reminders_go_where_they_went_before(db_url: str, clock: ManualClock) -> None:
    """Keys, recipients, due times and languages of a mixed set: a speaker who also RSVP'd
    (speakers' reminders only), an RSVP on a platform the member has a newer account on (that
    account), a member with two accounts who RSVP'd on a third platform (the oldest), a member
    with no account (nobody to write to), own offsets (none at all: no reminder), another
    language and zone."""
    app = await BotApp.start(make_settings(db_url), clock=clock)
    await say(app, "sofia", "/start")
    now = clock.now()
    start = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        people: dict[str, Member] = {}

        async def person(name: str, *accounts: tuple[str, str], language: str | None = None,
                         zone: str | None = None) -> Member:  # fmt: skip
            member = Member(display_name=name.title(), languages=[], expertise=[],
                            language=language, timezone=zone, created_at=now,
                            updated_at=now)  # fmt: skip
            for k, (platform, user_id) in enumerate(accounts):
                member.accounts.append(Account(platform=platform, platform_user_id=user_id,
                                               created_at=now + timedelta(seconds=k)))  # fmt: skip
            uow.session.add(member)
            await uow.session.flush()
            people[name] = member
            return member

        await person("spea", ("console", "spea"), language="es")  # the speaker, also RSVP'd
        await person("rita", ("console", "rita"), ("telegram", "501"), language="fr",
                     zone="America/Montreal")  # fmt: skip
        await person("max", ("console", "max"), ("discord", "77"))
        await person("nora")  # no account
        await person("omar", ("telegram", "216"), zone="Africa/Tunis")
        event = Event(
            community_id=community.id, title="Budget clinic", starts_at=start,
            timezone="Europe/Madrid", offsets=[1440, 60], rrule="FREQ=WEEKLY;COUNT=2",
            speakers=[people["spea"].id, people["nora"].id], created_at=now, updated_at=now,
        )  # fmt: skip
        await uow.events.add(event)
        rsvps = {"spea": ("console", None), "rita": ("telegram", None),
                 "max": ("telegram", [120]), "nora": ("console", None),
                 "omar": ("console", [])}  # fmt: skip
        for name, (platform, offsets) in rsvps.items():
            uow.session.add(Rsvp(event_id=event.id, member_id=people[name].id, platform=platform,
                                 offsets=offsets, created_at=now))  # fmt: skip
        await uow.session.flush()
        await sync_reminders(uow, event, now=now)
        rows = (await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        ids = {m.id: name for name, m in people.items()}
        event_id = event.id
    await app.close()

    def at(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=UTC)

    found = {
        (row.idempotency_key.replace(f"rem:{event_id}:", "").split(":", 1)[1],
         ids.get(row.member_id or 0), row.platform, row.chat_id,
         row.due_at.replace(tzinfo=UTC))
        for row in rows
        if row.idempotency_key.startswith(f"rem:{event_id}:") and row.private
    }  # fmt: skip
    assert found == {
        ("20261120T1300Z:1440", "spea", "console", "spea", at(19, 13)),
        ("20261120T1300Z:60", "spea", "console", "spea", at(20, 12)),
        ("20261127T1300Z:1440", "spea", "console", "spea", at(26, 13)),
        ("20261127T1300Z:60", "spea", "console", "spea", at(27, 12)),
        ("20261120T1300Z:1440", "rita", "telegram", "501", at(19, 13)),
        ("20261120T1300Z:60", "rita", "telegram", "501", at(20, 12)),
        ("20261127T1300Z:1440", "rita", "telegram", "501", at(26, 13)),
        ("20261127T1300Z:60", "rita", "telegram", "501", at(27, 12)),
        ("20261120T1300Z:120", "max", "console", "max", at(20, 11)),
        ("20261127T1300Z:120", "max", "console", "max", at(27, 11)),
    }
    who = {row.idempotency_key.split(":")[2][0] + ids.get(row.member_id or 0, "")
           for row in rows if row.private}  # fmt: skip
    assert who == {"sspea", "mrita", "mmax"}  # speakers as s<id>, attendees as m<id>
    text = {ids[r.member_id]: str(r.payload["reply"]) for r in rows if r.member_id in ids}
    assert "Recordatorio" in text["spea"] and "Rappel" in text["rita"]
    assert "America/Montreal" in text["rita"] and "Reminder" in text["max"]
