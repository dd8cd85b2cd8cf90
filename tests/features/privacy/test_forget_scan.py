"""``/forget`` leaves no copy of the person anywhere in the database, nor in what is sent after.

A realistic week: two communities, each with advice places on Telegram and Discord; a question
with answers relayed both ways (some sent, some still queued), an announcement fanned out,
an event she speaks at with RSVPs and reminders in flight, a story, feedback, a link code and
a conversation in progress; a pairing round across platforms with relays both ways, a
mentorship with a check-in, shares (one approved), a good practice sent back, a call she is
chosen for, a self-assessment with an action, a vote and a flag on the hub. Then Moana forgets
herself, and every column of every table (inside the JSON of outbox payloads, audit details and
conversation data too) is searched for her.

One exception, narrow and written down (docs/privacy.md, "Text other members wrote"): the rows
in ``OTHERS_WROTE_ABOUT_HER``, another member's own words naming her, are theirs and stay as
written; only those exact texts, in those columns, by their author, are let through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, select

from bot.app import BotApp
from bot.core.clock import ManualClock
from storage.models import Base
from tests.features.privacy.week import (
    MOANA,
    MOANA_DC,
    MOANA_TG,
    OTHERS_WROTE_ABOUT_HER,
    live_a_week,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a column value, JSON payloads opened (numbers as text too)."""
    if isinstance(value, str):
        yield value
        try:
            inner = json.loads(value)
        except ValueError:
            return
        if not isinstance(inner, str):
            yield from strings_in(inner)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)
    elif value is not None:
        yield str(value)


def traces(text: str) -> list[str]:
    """What of Moana ``text`` still holds (case-insensitive), email-like strings included."""
    lowered = text.casefold()
    found = [f"{what}: {needle}" for what, needle in MOANA.items() if needle.casefold() in lowered]
    found += [f"a word of her name: {w}" for w in ("moana", "tere") if w in lowered]
    found += [f"an email-like string: {m}" for m in EMAIL.findall(text)]
    return found


def written_by_another(table: str, column: str, row: Any, member_id: int) -> bool:
    """The value is one of the texts another member wrote about her, in that member's row."""
    author_column, text = OTHERS_WROTE_ABOUT_HER.get((table, column), (None, None))
    return (
        author_column is not None
        and row[column] == text
        and row[author_column] is not None
        and row[author_column] != member_id
    )


async def scan_database(app: BotApp, member_id: int) -> list[str]:
    """Every table, every column: what still names Moana, or points at her member row (but for
    the texts others wrote about her, ``OTHERS_WROTE_ABOUT_HER``)."""
    leaks: list[str] = []
    member_columns = {
        (fk.parent.table.name, fk.parent.name)
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "members"
    } | {("members", "id")}
    async with app.database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= set(tables)
        for table in Base.metadata.sorted_tables:
            if table.name == "hub_index_snapshots":
                continue  # the search index serialized: derived from `resources`, scanned above
            for row in (await connection.execute(select(table))).mappings().all():
                for column, value in row.items():
                    if (table.name, column) in member_columns and value == member_id:
                        leaks.append(f"{table.name}.{column} = her member id")
                    if written_by_another(table.name, column, row, member_id):
                        continue
                    for text in strings_in(value):
                        leaks += [f"{table.name}.{column}: {t}" for t in traces(text)]
                if table.name == "events" and member_id in (row["speakers"] or []):
                    leaks.append("events.speakers holds her member id")
                if table.name in ("audit_log", "outbox", "conversations"):
                    blob = json.dumps(row.get("detail") or row.get("payload") or row.get("data"))
                    if re.search(rf'"(member_id|author_id|asker_id)": {member_id}\b', blob):
                        leaks.append(f"{table.name}: a JSON member id of hers")
                    if re.search(rf'"member_ids": \[[^\]]*\b{member_id}\b', blob):
                        leaks.append(f"{table.name}: a JSON list of member ids with hers")
    return leaks


async def kept_as_written(app: BotApp) -> set[tuple[str, str]]:
    """Which of the texts others wrote about her are still there, in their author's row."""
    found = set()
    async with app.database.engine.connect() as connection:
        for (table, column), (author, text) in OTHERS_WROTE_ABOUT_HER.items():
            rows = (await connection.execute(select(Base.metadata.tables[table]))).mappings()
            if any(row[column] == text and row[author] is not None for row in rows):
                found.add((table, column))
    return found


async def test_forget_leaves_nothing_in_any_table_nor_in_later_sends(
    app: BotApp, clock: ManualClock
) -> None:
    week = await live_a_week(app, clock)
    moana, lucia, messengers, member_id = week.moana, week.lucia, week.messengers, week.member_id
    before = await scan_database(app, member_id)
    for expected in (
        "outbox.payload: name",
        "outbox.chat_id: telegram id",
        "audit_log: a JSON member id",
        "audit_log: a JSON list of member ids with hers",  # /call pick chose her
        "conversations.data: organisation",
        "link_codes.member_id",
        "events.speakers",
        "announcements.author_id",
        "accounts.username: discord username",
        "event_feedback.member_id",
        "members.bio: an email-like string",
        # the newer features: each holds her before she forgets
        "meet_participants.member_id",
        "meet_pairings.member_id",
        "mentor_offers.member_id",
        "mentor_requests.member_id",
        "mentor_requests.goals: organisation",
        "mentorships.mentor_id",
        "mentorships.goal: organisation",
        "mentor_checkins.member_id",
        "contributions.contributor_member_id",
        "contributions.title: organisation",
        "contributions.sections: email",
        "contributions.review_note: name",
        "audit_log.detail: name",
        "call_volunteers.member_id",
        "assessments.member_id",
        "assessments.institution: organisation",
        "assessment_actions.member_id",
        "assessment_actions.text: organisation",
        "resource_votes.member_id",
        "resource_flags.member_id",
    ):
        assert any(leak.startswith(expected) for leak in before), (expected, before)
    # what others wrote about her is there, as they wrote it
    assert {leak.split(":")[0] for leak in before} >= {
        "mentor_requests.goals",
        "meet_pairings.thanks",
    }

    assert "deleted" in await moana.say("/forget confirm")

    leaks = await scan_database(app, member_id)
    assert leaks == [], "\n".join(leaks)
    assert await kept_as_written(app) == set(OTHERS_WROTE_ABOUT_HER)

    # What is sent afterwards (the queued relays, reminders...) names her nowhere.
    already = {p: len(m.sent) for p, m in messengers.items()}
    await week.deliver()
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # the day-before reminders
    await week.deliver()
    later = [d for p, m in messengers.items() for d in m.sent[already[p] :]]
    assert later, "the queued messages are still sent"
    for delivery in later:
        text = json.dumps([delivery.text, [b.label for row in delivery.reply.buttons for b in row]])
        assert traces(text) == [], (delivery.recipient, delivery.text)
        assert delivery.recipient.chat_id not in (MOANA_TG, MOANA_DC)
    relayed = "\n".join(d.text for d in later)
    assert "former member: We use a simple spreadsheet" in relayed  # Q3's relay, re-rendered
    assert "former member: Thank you, that template" in relayed
    assert "Best answer:\n✅ former member: At [removed] we pooled funds" in relayed
    assert "Reminder: “Budget clinic”" in relayed
    assert "former member (via Telegram): See you both on Thursday!" in relayed  # a relay
    assert "former member thanks you for your conversation:\nThank you both! former member" in (
        relayed
    )
    assert "Grace asks for help with mentorship #1" in relayed  # to Lucía, the admin
    thread = await lucia.say("/thread Q2")
    assert "Asked by former member" in thread and "former member: Thank you" in thread
