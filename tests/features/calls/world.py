"""Champions with expertise for the calls tests."""

from __future__ import annotations

from bot.app import BotApp


async def add_champions(app: BotApp, people: dict[str, list[str]], *, language: str = "en") -> None:
    """Console champions of the default community, each with these expertise codes."""
    now = app.clock.now()
    async with app.database.unit_of_work() as uow:
        community = await uow.communities.by_slug("champions")
        assert community is not None
        for name, expertise in people.items():
            member = await uow.members.create(
                display_name=name.title(), platform="console", platform_user_id=name,
                username=None, language=language, now=now,
            )  # fmt: skip
            member.expertise = expertise
            await uow.communities.set_role(community, member, "champion", now)
