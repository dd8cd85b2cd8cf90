"""/link: Grace on Telegram and on Discord is one member with one profile."""

from __future__ import annotations

from datetime import timedelta

from bot.app import BotApp
from bot.core.clock import ManualClock
from bot.core.messages import Actor, Place, PlaceKind, Platform, Request, RequestKind
from tests.helpers import texts


def grace_on(platform: Platform) -> tuple[Actor, Place]:
    user = "g-tg" if platform is Platform.TELEGRAM else "g-dc"
    return Actor(platform, user, "Grace"), Place(platform, user, PlaceKind.PRIVATE)


async def send(app: BotApp, platform: Platform, text: str) -> str:
    actor, place = grace_on(platform)
    command, _, rest = text[1:].partition(" ")
    return texts(await app.handle(Request(actor, place, RequestKind.COMMAND, command=command,
                                          text=rest)))  # fmt: skip


async def test_link_two_accounts_to_one_profile(app: BotApp, clock: ManualClock) -> None:
    await send(app, Platform.TELEGRAM, "/profile set country Zambia")
    issued = await send(app, Platform.TELEGRAM, "/link")
    code = issued.split("/link ")[1].split(" ")[0]
    assert len(code) == 6
    assert "Linked" in await send(app, Platform.DISCORD, f"/link {code}")
    assert "Zambia" in await send(app, Platform.DISCORD, "/profile")  # one profile
    async with app.database.unit_of_work() as uow:
        on_tg = await uow.members.by_account("telegram", "g-tg")
        on_dc = await uow.members.by_account("discord", "g-dc")
        assert on_tg is not None and on_dc is not None and on_tg.id == on_dc.id
        assert len(await uow.members.all()) == 1
    assert "unknown or expired" in await send(app, Platform.DISCORD, f"/link {code}")  # once


async def test_expired_unknown_and_busy_accounts_are_refused(
    app: BotApp, clock: ManualClock
) -> None:
    issued = await send(app, Platform.TELEGRAM, "/link")
    code = issued.split("/link ")[1].split(" ")[0]
    assert "unknown or expired" in await send(app, Platform.DISCORD, "/link ZZZZZZ")
    await send(app, Platform.DISCORD, "/ask How do councils fund women's shelters in rural areas?")
    assert "ask an admin" in await send(app, Platform.DISCORD, f"/link {code}")
    clock.advance(timedelta(minutes=16))
    assert "unknown or expired" in await send(app, Platform.DISCORD, f"/link {code}")
    assert "already linked" in await send(
        app,
        Platform.TELEGRAM,
        "/link " + (await send(app, Platform.TELEGRAM, "/link")).split("/link ")[1].split(" ")[0],
    )
