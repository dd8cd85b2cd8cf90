"""``/forget`` leaves no copy of the person anywhere in the database, nor in what is sent after.

A realistic week: two communities, each with advice places on Telegram and Discord; a question
with answers relayed both ways (some sent, some still queued), an announcement fanned out,
an event she speaks at with RSVPs and reminders in flight, a story, feedback, a link code and
a conversation in progress. Then Moana forgets herself, and every column of every table (inside
the JSON of outbox payloads, audit details and conversation data too) is searched for her.
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
from tests.features.privacy.week import MOANA, MOANA_DC, MOANA_TG, live_a_week

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


async def scan_database(app: BotApp, member_id: int) -> list[str]:
    """Every table, every column: what still names Moana, or points at her member row."""
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
                    for text in strings_in(value):
                        leaks += [f"{table.name}.{column}: {t}" for t in traces(text)]
                if table.name == "events" and member_id in (row["speakers"] or []):
                    leaks.append("events.speakers holds her member id")
                if table.name in ("audit_log", "outbox", "conversations"):
                    blob = json.dumps(row.get("detail") or row.get("payload") or row.get("data"))
                    if re.search(rf'"(member_id|author_id|asker_id)": {member_id}\b', blob):
                        leaks.append(f"{table.name}: a JSON member id of hers")
    return leaks


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
        "conversations.data: organisation",
        "link_codes.member_id",
        "events.speakers",
        "announcements.author_id",
        "accounts.username: discord username",
        "event_feedback.member_id",
        "members.bio: an email-like string",
    ):
        assert any(leak.startswith(expected) for leak in before), (expected, before)

    assert "deleted" in await moana.say("/forget confirm")

    leaks = await scan_database(app, member_id)
    assert leaks == [], "\n".join(leaks)

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
    thread = await lucia.say("/thread Q2")
    assert "Asked by former member" in thread and "former member: Thank you" in thread
