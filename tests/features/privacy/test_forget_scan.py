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
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import inspect, select, update

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig
from bot.core.clock import ManualClock
from bot.core.messages import (
    Actor,
    Place,
    PlaceKind,
    Platform,
    Recipient,
    Reply,
    Request,
    RequestKind,
    SentMessage,
)
from bot.delivery.dispatcher import Dispatcher
from storage.models import Account, Base, Member
from tests.conftest import make_settings
from tests.features.events.fakes import RecordingMessenger

TG_ADVICE_A, DC_ADVICE_A, TG_GENERAL_A, DC_WEBINARS_A = "-100777", "555", "-100778", "556"
TG_ADVICE_B, DC_ADVICE_B, TG_GENERAL_B = "-200777", "666", "-200778"

MOANA_TG, MOANA_DC = "7301234567", "445566778899001122"
GRACE_DC, LUCIA_TG = "998877665544332211", "7309876543"
MOANA = {
    "name": "Moana Tere",
    "first contact name": "Moana T.",
    "telegram username": "moana_tere",
    "discord username": "moana.tere.rc",
    "telegram id": MOANA_TG,
    "discord id": MOANA_DC,
    "organisation": "Rarotonga Island Council",
    "bio": "Cyclone-proof shelters run by women; write to moana.tere@rarotonga.example",
    "email": "moana.tere@rarotonga.example",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


class ForumMessenger(RecordingMessenger):
    """Like a platform: a message that opens a thread comes back with the new thread's id."""

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        sent = await super().send(recipient, reply)
        thread = (
            f"topic-{len(self.sent)}" if reply.extra.get("open_thread") else recipient.thread_id
        )
        return SentMessage(sent.platform, sent.chat_id, sent.message_id, thread)


class Person:
    """Someone writing to the bot on one platform (``admin``: the platform says so)."""

    def __init__(
        self, app: BotApp, platform: Platform, user_id: str, name: str, *, admin: bool = False
    ) -> None:
        self.app, self.platform, self.user_id, self.name = app, platform, user_id, name
        self.admin = admin

    async def say(self, text: str, *, chat: str | None = None) -> str:
        """Send ``text`` privately, or in group ``chat``; return the replies' plain text."""
        place = (
            Place(self.platform, chat, PlaceKind.GROUP)
            if chat
            else Place(self.platform, self.user_id, PlaceKind.PRIVATE)
        )
        actor = Actor(self.platform, self.user_id, self.name, is_platform_admin=self.admin)
        if text.startswith("/"):
            command, _, rest = text[1:].partition(" ")
            request = Request(actor, place, RequestKind.COMMAND, command=command, text=rest)
        else:
            request = Request(actor, place, RequestKind.TEXT, text=text)
        replies = await self.app.handle(request)
        return "\n".join(reply.body.plain() for reply in replies)


@pytest.fixture
async def app(db_url: str, clock: ManualClock) -> AsyncIterator[BotApp]:
    settings = make_settings(
        db_url,
        community=CommunityConfig(
            chats=(
                ChatLink(platform="telegram", chat_id=TG_ADVICE_A, purpose="advice"),
                ChatLink(platform="discord", chat_id=DC_ADVICE_A, purpose="advice"),
                ChatLink(platform="telegram", chat_id=TG_GENERAL_A, purpose="general"),
                ChatLink(platform="discord", chat_id=DC_WEBINARS_A, purpose="webinars"),
            )
        ),
        communities=(
            CommunityConfig(
                slug="cc-women",
                name="Women's leadership in municipalities",
                chats=(
                    ChatLink(platform="telegram", chat_id=TG_ADVICE_B, purpose="advice"),
                    ChatLink(platform="discord", chat_id=DC_ADVICE_B, purpose="advice"),
                    ChatLink(platform="telegram", chat_id=TG_GENERAL_B, purpose="general"),
                ),
            ),
        ),
    )
    bot_app = await BotApp.start(settings, clock=clock)
    yield bot_app
    await bot_app.close()


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
    messengers = {p: ForumMessenger(clock, platform=p) for p in Platform}
    for messenger in messengers.values():
        app.add_messenger(messenger)
    dispatcher = Dispatcher(app)

    async def deliver() -> None:
        report = await dispatcher.run_due()
        assert report.failed == 0, report

    moana = Person(app, Platform.TELEGRAM, MOANA_TG, MOANA["first contact name"])
    moana_dc = Person(app, Platform.DISCORD, MOANA_DC, "moana")
    grace = Person(app, Platform.DISCORD, GRACE_DC, "Grace")
    lucia = Person(app, Platform.TELEGRAM, LUCIA_TG, "Lucía")
    sofia = Person(app, Platform.TELEGRAM, "7300000001", "Sofia", admin=True)  # the secretariat

    # Profiles: Moana in full; Grace and Lucía enough to be matched and named.
    for field, value in (
        ("name", MOANA["name"]),
        ("organisation", MOANA["organisation"]),
        ("country", "Cook Islands"),
        ("bio", MOANA["bio"]),
        ("expertise", "gender_budgeting"),
    ):
        assert "Saved" in await moana.say(f"/profile set {field} {value}")
    await grace.say("/profile set country Zambia")
    await grace.say("/profile set expertise gender_budgeting")
    await lucia.say("/profile set country Colombia")
    await sofia.say("/champion approve Moana Tere")
    await sofia.say("/champion approve Grace")
    async with app.database.unit_of_work() as uow:  # an adapter that keeps usernames
        await uow.session.execute(
            update(Account)
            .where(Account.platform_user_id == MOANA_TG)
            .values(username=MOANA["telegram username"])
        )

    # One profile on both platforms, and a fresh link code still waiting.
    code = re.search(r"/link (\w+)", await moana.say("/link"))
    assert code is not None
    assert "Linked" in await moana_dc.say(f"/link {code.group(1)}")
    async with app.database.unit_of_work() as uow:
        await uow.session.execute(
            update(Account)
            .where(Account.platform_user_id == MOANA_DC)
            .values(username=MOANA["discord username"])
        )
    assert "link code" in await moana.say("/link")

    # Advice: Lucía asks, Moana asks; cards go to both advice places and are sent.
    await lucia.say("/ask How do small councils fund shelters for women? #gender_budgeting")
    await moana.say(
        "/ask Who has a gender budgeting template for island councils? #gender_budgeting"
    )
    await lucia.say("/ask Which apps do councils use for participatory budgets? #gender_budgeting")
    await deliver()
    # Answers relayed both ways and sent; the asker's first-answer notices too.
    await grace.say("/answer Q2 Our template is on the hub, look for 'participatory budgets'.")
    await moana.say("/answer Q1 We pooled funds with the regional government and two NGOs.")
    await deliver()

    # An event she speaks at, with RSVPs, reminders in flight and feedback.
    await sofia.say('/webinar add "Budget clinic" 2026-12-03 10:00 UTC 60m speakers="Moana Tere"')
    await moana.say("/rsvp 1")
    await grace.say("/rsvp 1")
    await moana.say("/rate 1 5")
    await moana.say("/comment 1 The clinic helped our council plan the shelters budget.")

    # A story, approved; an announcement to everyone (she is a champion).
    await moana.say("/story Women-led cyclone shelters opened in three villages")
    await sofia.say("/story approve 1")
    await sofia.say("/announce everyone Monthly call on Thursday: bring your budget questions")

    # In the second community she is an admin and announces there herself.
    assert "admin of Women" in await sofia.say("/admin add Moana Tere", chat=TG_GENERAL_B)
    assert "#" in await moana.say(
        "/announce everyone Welcome to the municipal leaders group", chat=TG_GENERAL_B
    )
    assert "Q4 is posted" in await moana.say(
        "/ask How do you mentor first-time women candidates? #political_participation",
        chat=TG_GENERAL_B,
    )
    await deliver()
    assert any("Moana Tere" in d.text for d in messengers[Platform.DISCORD].to(DC_ADVICE_B))
    # Still queued when she forgets: the solved state naming her best answer, her follow-up
    # relayed to the Discord post, the first-answer notice of a question she answers first.
    await lucia.say("/solved Q1 1")
    await moana.say("/answer Q2 Thank you, that template is exactly what we needed.")
    await moana.say("/answer Q3 We use a simple spreadsheet and a WhatsApp group.")
    await moana_dc.say("/ask")  # a conversation in progress, on her Discord account
    await moana_dc.say(
        "At Rarotonga Island Council we wonder: what quota rules work for rural councils?"
    )

    # Show that the setup holds what it should before she forgets.
    async with app.database.unit_of_work() as uow:
        member = (
            await uow.session.scalars(select(Member).where(Member.display_name == MOANA["name"]))
        ).one()
        member_id = member.id
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
    await deliver()
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # the day-before reminders
    await deliver()
    later = [d for p, m in messengers.items() for d in m.sent[already[p] :]]
    assert later, "the queued messages are still sent"
    for delivery in later:
        text = json.dumps([delivery.text, [b.label for row in delivery.reply.buttons for b in row]])
        assert traces(text) == [], (delivery.recipient, delivery.text)
        assert delivery.recipient.chat_id not in (MOANA_TG, MOANA_DC)
    relayed = "\n".join(d.text for d in later)
    assert "former member: We use a simple spreadsheet" in relayed  # Q3's relay, re-rendered
    assert "former member: Thank you, that template" in relayed
    assert "Best answer:\n✅ former member: We pooled funds" in relayed
    assert "Reminder: “Budget clinic”" in relayed
    thread = await lucia.say("/thread Q2")
    assert "Asked by former member" in thread and "former member: Thank you" in thread
