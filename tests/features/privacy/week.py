"""One realistic week of the network, for the privacy tests: Moana everywhere.

Two communities, each with advice places on Telegram and Discord; questions with answers relayed
both ways (some sent, some still queued), announcements fanned out (one she wrote), an event she
speaks at with RSVPs, reminders in flight and her feedback, an approved story, a link code and a
conversation in progress. The dispatcher sends to recording messengers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from bot.app import BotApp
from bot.config import ChatLink, CommunityConfig, HttpConfig, Settings
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
    Upload,
)
from bot.delivery.dispatcher import Dispatcher
from bot.features.mentoring import commands as mentoring
from bot.features.mentoring.lifecycle import CHECKIN_EVERY
from storage.models import Account, Member
from storage.models_networking import Mentorship
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


class ForumMessenger(RecordingMessenger):
    """Like a platform: a message that opens a thread comes back with the new thread's id."""

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        sent = await super().send(recipient, reply)
        thread = f"topic-{len(self.sent)}" if reply.open_thread else recipient.thread_id
        return SentMessage(sent.platform, sent.chat_id, sent.message_id, thread)


class Person:
    """Someone writing to the bot on one platform (``admin``: the platform says so)."""

    def __init__(
        self, app: BotApp, platform: Platform, user_id: str, name: str, *, admin: bool = False
    ) -> None:
        self.app, self.platform, self.user_id, self.name = app, platform, user_id, name
        self.admin = admin

    async def say(
        self,
        text: str,
        *,
        chat: str | None = None,
        reply_to: str | None = None,
        upload: Upload | None = None,
    ) -> str:
        """Send ``text`` privately, or in group ``chat``; return the replies' plain text.
        ``reply_to``: the platform id of the message this one answers."""
        replies = await self.replies(text, chat=chat, reply_to=reply_to, upload=upload)
        return "\n".join(reply.body.plain() for reply in replies)

    async def press(self, action: str) -> str:
        """Tap a button whose action is ``action``, in the private chat."""
        actor = Actor(self.platform, self.user_id, self.name, is_platform_admin=self.admin)
        place = Place(self.platform, self.user_id, PlaceKind.PRIVATE)
        replies = await self.app.handle(Request(actor, place, RequestKind.BUTTON, text=action))
        return "\n".join(reply.body.plain() for reply in replies)

    async def replies(
        self,
        text: str,
        *,
        chat: str | None = None,
        reply_to: str | None = None,
        upload: Upload | None = None,
    ) -> list[Reply]:
        place = (
            Place(self.platform, chat, PlaceKind.GROUP)
            if chat
            else Place(self.platform, self.user_id, PlaceKind.PRIVATE)
        )
        actor = Actor(self.platform, self.user_id, self.name, is_platform_admin=self.admin)
        if text.startswith("/"):
            command, _, rest = text[1:].partition(" ")
            request = Request(
                actor, place, RequestKind.COMMAND, command=command, text=rest, upload=upload
            )
        else:
            request = Request(
                actor, place, RequestKind.TEXT, text=text, reply_to=reply_to, upload=upload
            )
        return await self.app.handle(request)


def two_communities(db_url: str) -> Settings:
    """Two communities, each with advice places on Telegram and Discord."""
    return make_settings(
        db_url,
        http=HttpConfig(public_url="https://bot.example.org", port=0),
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


@dataclass
class Week:
    """The week as it stands before Moana forgets: who is who, and what was sent."""

    app: BotApp
    dispatcher: Dispatcher
    messengers: dict[Platform, ForumMessenger]
    moana: Person
    moana_dc: Person
    grace: Person
    lucia: Person
    sofia: Person
    member_id: int

    async def deliver(self) -> None:
        await send_due(self.dispatcher)


async def send_due(dispatcher: Dispatcher) -> None:
    """Send what is due now, as the running dispatcher would; nothing may fail."""
    report = await dispatcher.run_due()
    assert report.failed == 0, report


async def live_a_week(app: BotApp, clock: ManualClock) -> Week:
    """Live the week through the bot's commands; return it with Moana still there."""
    messengers = {p: ForumMessenger(clock, platform=p) for p in Platform}
    for messenger in messengers.values():
        app.add_messenger(messenger)
    dispatcher = Dispatcher(app)

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
    # A file she shared, not reviewed yet: her name and address are inside it.
    report = f"%PDF-1.7 Shelters report by {MOANA['name']}, {MOANA['bio']} %%EOF".encode()
    shared = await moana.say(
        "/share Cyclone shelters report",
        upload=Upload("shelters.pdf", "application/pdf", len(report), report),
    )
    assert "review queue" in shared
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
    await send_due(dispatcher)
    # Answers relayed both ways and sent; the asker's first-answer notices too.
    await grace.say("/answer Q2 Our template is on the hub, look for 'participatory budgets'.")
    await moana.say(  # her own words name her council: kept, but not with its name
        "/answer Q1 At Rarotonga Island Council we pooled funds with the regional government."
    )
    await send_due(dispatcher)

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
    await send_due(dispatcher)
    assert any("Moana Tere" in d.text for d in messengers[Platform.DISCORD].to(DC_ADVICE_B))
    await network_and_contribute(app, dispatcher, messengers, moana, grace, sofia)
    # Still queued when she forgets: the solved state naming her best answer, her follow-up
    # relayed to the Discord post, the first-answer notice of a question she answers first.
    await lucia.say("/solved Q1 1")
    await moana.say("/answer Q2 Thank you, that template is exactly what we needed.")
    await moana.say("/answer Q3 We use a simple spreadsheet and a WhatsApp group.")
    await still_queued_in_the_network(messengers, moana, grace)
    await moana_dc.say("/ask")  # a conversation in progress, on her Discord account
    await moana_dc.say(
        "At Rarotonga Island Council we wonder: what quota rules work for rural councils?"
    )

    async with app.database.unit_of_work() as uow:
        member = (
            await uow.session.scalars(select(Member).where(Member.display_name == MOANA["name"]))
        ).one()
    return Week(app, dispatcher, messengers, moana, moana_dc, grace, lucia, sofia, member.id)


IFEOMA_TG = "7305550199"
GRACE_REQUEST = "Budget mentoring, ideally with Moana Tere: gender budgeting for my council"
GRACE_THANKS = "Thank you Moana Tere, your shelter plans gave us ideas"
OTHERS_WROTE_ABOUT_HER = {
    ("mentor_requests", "goals"): ("member_id", GRACE_REQUEST),
    ("meet_pairings", "thanks"): ("member_id", GRACE_THANKS),
}
"""(table, column) -> (its author's column, the text): what Grace wrote naming Moana, in her
own rows. Hers, kept as written (docs/privacy.md, "Text other members wrote"); only the
outbox copies of it are scrubbed."""


def _sent_to(messengers: dict[Platform, ForumMessenger], chat_id: str, kind: str) -> str:
    """The platform id of the last message of ``kind`` sent to ``chat_id`` (ids count sends)."""
    for platform_messenger in messengers.values():
        for number, delivery in reversed(list(enumerate(platform_messenger.sent, 1))):
            if delivery.recipient.chat_id == chat_id and kind in delivery.text:
                return str(number)
    raise AssertionError(f"nothing like {kind!r} was sent to {chat_id}")


def _button(messengers: dict[Platform, ForumMessenger], chat_id: str, label: str) -> str:
    """The action of the button labelled ``label`` in the last message to ``chat_id``."""
    for platform_messenger in messengers.values():
        for delivery in reversed(platform_messenger.to(chat_id)):
            for row in delivery.reply.buttons:
                for button in row:
                    if button.label == label:
                        return button.action
    raise AssertionError(f"no button {label!r} was sent to {chat_id}")


async def network_and_contribute(
    app: BotApp,
    dispatcher: Dispatcher,
    messengers: dict[Platform, ForumMessenger],
    moana: Person,
    grace: Person,
    sofia: Person,
) -> None:
    """The newer features, with Moana in each: a pairing round across platforms, a
    mentorship with a check-in, shared resources and a good practice, a call she answers, a
    self-assessment, a vote and a flag on the hub."""
    ifeoma = Person(app, Platform.TELEGRAM, IFEOMA_TG, "Ifeoma")
    assert "admin of" in await sofia.say("/admin add Lucía", chat=TG_GENERAL_A)
    await ifeoma.say("/profile set country Nigeria")
    await sofia.say("/champion approve Ifeoma")
    for person in (moana, grace):
        assert "Saved" in await person.say("/profile set languages en")

    # A pairing round: the three of them in one group, across Telegram and Discord.
    for person in (moana, grace, ifeoma):
        assert "pairing rounds" in await person.say("/meet join")
    assert "3 members" in await sofia.say("/meet round")
    await send_due(dispatcher)
    intro = _sent_to(messengers, MOANA_TG, "Grace")
    assert "Passed on to" in await moana.say(
        "Kia orana! Moana Tere here, from Rarotonga Island Council.", reply_to=intro
    )
    assert "Passed on to" in await grace.say("/meet say Hello Moana Tere, is Thursday good?")
    assert "Passed on to" in await moana.say(
        "/meet say Thursday suits me; write to moana.tere@rarotonga.example"
    )
    await send_due(dispatcher)
    assert any(
        "Moana Tere (via Telegram): Kia orana" in d.text
        for d in messengers[Platform.DISCORD].to(GRACE_DC)
    )
    assert "Ifeoma" in await grace.say(f"/meet thanks {GRACE_THANKS}")

    # A mentorship: Moana mentors Grace; a check-in three weeks in, answered by both.
    assert "Thank you" in await moana.say("/mentor offer 2 6 gender budgeting")
    assert "noted" in await grace.say(f"/mentor request {GRACE_REQUEST}")
    assert "Moana Tere → Grace" in await sofia.say("/mentor propose")
    assert "1 mentor asked" in await sofia.say("/mentor approve")
    await send_due(dispatcher)
    assert "Grace is told" in await moana.press(_button(messengers, MOANA_TG, "Accept"))
    assert "noted" in await moana.say(
        "/mentor goal 1 A shelters budget line, as Rarotonga Island Council has"
    )
    assert "noted" in await moana.say(
        "/mentor request Campaign finance for Rarotonga Island Council #political_participation"
    )
    async with app.database.unit_of_work() as uow:  # it began three weeks before this week
        mentorship = await uow.session.get(Mentorship, 1)
        assert mentorship is not None and mentorship.started_at is not None
        mentorship.started_at -= CHECKIN_EVERY
    assert await mentoring.follow_mentorships(app, app.clock.now()) == 1
    await send_due(dispatcher)
    assert "Thank you" in await moana.press(_button(messengers, MOANA_TG, "Going well"))

    # Shares: one approved into the catalogue, one pending; a good practice sent back.
    shared = await moana.say("/share https://example.org/island-budgets Gender budgets on islands")
    approved_id = re.search(r"resource #(\d+)", shared)
    assert approved_id is not None
    assert "Knowledge Hub" in await sofia.say(f"/review approve {approved_id.group(1)}")
    assert "review queue" in await moana.say(
        "/share https://example.org/shelters Cyclone shelter checklist of Rarotonga Island Council"
    )
    await moana.say("/practice")
    for part in (
        "Shelters run by women",
        "Rarotonga Island Council, 2025, with the women's committee.",
        "Shelters were built far from where women live.",
        "Women chose the sites and run the keys.",
        "Three shelters open; used in two cyclones.",
        "The first budget line was cut.",
        "Ask the women first.",
        MOANA["email"],
        "yes",
    ):
        await moana.say(part)
    practice = re.search(r"#(\d+) Shelters run by women", await sofia.say("/review"))
    assert practice is not None
    assert "went back" in await sofia.say(
        f"/review change {practice.group(1)} Moana Tere, please add the budget figures"
    )

    # A call she answers and is chosen for; a self-assessment for her council, an action.
    assert "Call #1 is posted" in await sofia.say(
        '/call add reviewer 2026-12-10 18:00 "Chapter review"'
    )
    assert "volunteered" in await moana.say("/call volunteer 1")
    assert "Moana Tere" in await sofia.say("/call pick 1 Moana Tere")
    await moana.say("/assess start institutional Rarotonga Island Council")
    for level in (3, 2, 4, 1, 3, 2, 5, 3, 2, 4, 3, 2):
        said = await moana.say(str(level))
    assert "last question" in said
    assert "Rarotonga Island Council" in await moana.say("/assess history")
    assert "remind you" in await moana.say(
        "/assess action budgeting 2027-01-15 Ask the Rarotonga Island Council treasurer"
    )

    # The hub: a vote and a flag on the resource she shared.
    assert "helpful" in await moana.press(f"resource vote {approved_id.group(1)} up")
    assert "curators" in await moana.press(f"resource flag {approved_id.group(1)} outdated")
    await send_due(dispatcher)


async def still_queued_in_the_network(
    messengers: dict[Platform, ForumMessenger], moana: Person, grace: Person
) -> None:
    """Queued when she forgets: her relay to the group, Grace's call for help with the
    mentorship (to the community's admin, Lucía), a thank-you of hers."""
    clock = moana.app.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(minutes=5))  # a relay is keyed by its update, or else its time
    assert "Passed on to" in await moana.say("/meet say See you both on Thursday!")
    assert "admins" in await grace.press(_button(messengers, GRACE_DC, "Need help"))
    assert "on their way" in await moana.say("/meet thanks Thank you both! Moana Tere")
