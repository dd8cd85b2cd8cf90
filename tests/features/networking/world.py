"""Console champions for the networking tests, and a messenger that can be blocked."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.app import BotApp
from bot.core.clock import Clock
from bot.core.messages import Platform, Recipient, Reply, SentMessage
from bot.core.ports import DeliveryError
from tests.features.events.fakes import Delivery
from tests.helpers import say

REGIONS = ("latin_america", "west_central_africa", "east_southern_africa", "mena",
           "asia_pacific", "north_america_europe")  # fmt: skip
ZONES = {"latin_america": "America/Lima", "west_central_africa": "Africa/Lagos",
         "east_southern_africa": "Africa/Lusaka", "mena": "Asia/Amman",
         "asia_pacific": "Asia/Manila", "north_america_europe": "Europe/Berlin"}  # fmt: skip
NAMES = ("ana", "bea", "chidi", "dede", "grace", "hope", "laila", "omar", "mei", "rizal",
         "karl", "lena")  # fmt: skip


@dataclass
class BlockingMessenger:
    """Records sends; a chat in ``blocked`` refuses for good, as Telegram does a blocked bot."""

    clock: Clock
    platform: Platform = Platform.CONSOLE
    sent: list[Delivery] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    async def send(self, recipient: Recipient, reply: Reply) -> SentMessage:
        if recipient.chat_id in self.blocked:
            raise DeliveryError("Forbidden: bot was blocked by the user")
        self.sent.append(Delivery(recipient, reply, self.clock.now()))
        return SentMessage(self.platform, recipient.chat_id, str(len(self.sent)))

    def to(self, name: str) -> list[str]:
        return [d.text for d in self.sent if d.recipient.chat_id == name]


async def add_champions(app: BotApp, names: tuple[str, ...] = NAMES, *, join: bool = True) -> None:
    """Champions two per region (in order), English speakers, each in their region's zone."""
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for n, name in enumerate(names):
            member = await uow.members.create(
                display_name=name.title(), platform="console", platform_user_id=name,
                username=None, language=None, now=now,
            )  # fmt: skip
            region = REGIONS[(n // 2) % len(REGIONS)]
            member.region = region
            member.timezone = ZONES[region]
            member.languages = ["en"]
            await uow.communities.set_role(community, member, "champion", now)
    if join:
        for name in names:
            await say(app, name, "/meet join")
