"""The caller lookup: one statement that finds the member, their accounts, the community the
request acts on and their membership, choosing the community as the router always did."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from storage.database import Database
from storage.models import Account, Member
from storage.statuses import ChatPurpose, MembershipRole

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.upgrade()
    async with database.unit_of_work() as uow:
        for slug in ("home", "cc", "gz"):
            await uow.communities.ensure(
                slug=slug, name=slug, timezone="UTC", default_language="en", now=NOW
            )
        cc = await uow.communities.by_slug("cc")
        assert cc is not None
        await uow.communities.link_chat(
            cc, platform="telegram", chat_id="-100", purpose=ChatPurpose.GENERAL
        )
        amina = await uow.members.create(
            display_name="Amina", platform="telegram", platform_user_id="1",
            username="amina", language=None, now=NOW,
        )  # fmt: skip
        amina.accounts.append(
            Account(platform="discord", platform_user_id="d1", username=None, created_at=NOW)
        )
        await uow.flush()
    yield database
    await database.dispose()


async def _find(database: Database, chat_id: str | None, user: str = "1") -> tuple[str, str | None]:
    async with database.unit_of_work() as uow:
        found = await uow.callers.find(
            platform="telegram", platform_user_id=user, chat_platform="telegram",
            chat_id=chat_id, default="home",
        )  # fmt: skip
        assert found is not None
        role = None if found.membership is None else str(found.membership.role)
        return found.community.slug, role


async def _join(database: Database, slug: str, role: MembershipRole, minutes: int) -> None:
    async with database.unit_of_work() as uow:
        community = await uow.communities.by_slug(slug)
        member = await uow.members.by_account("telegram", "1")
        assert community is not None and member is not None
        await uow.communities.set_role(community, member, role, NOW + timedelta(minutes=minutes))


async def test_the_community_is_chosen_as_before(database: Database) -> None:
    # nothing joined nor chosen: the default community, no membership
    assert await _find(database, None) == ("home", None)
    assert await _find(database, "-999") == ("home", None)  # an unlinked group
    assert await _find(database, "-100") == ("cc", None)  # a linked group
    # the first community joined is home, whatever was joined after it
    await _join(database, "gz", MembershipRole.CHAMPION, 1)
    await _join(database, "cc", MembershipRole.ADMIN, 2)
    assert await _find(database, None) == ("gz", "champion")
    assert await _find(database, "-100") == ("cc", "admin")  # the chat's community wins
    async with database.unit_of_work() as uow:  # the one chosen wins over the first joined
        cc = await uow.communities.by_slug("cc")
        member = await uow.members.by_account("telegram", "1")
        assert cc is not None and member is not None
        await uow.communities.prefer(member, cc)
    assert await _find(database, None) == ("cc", "admin")
    assert await _find(database, "-999") == ("cc", "admin")


async def test_the_member_comes_with_every_account_and_saves_like_a_loaded_one(
    database: Database,
) -> None:
    async with database.unit_of_work() as uow:
        found = await uow.callers.find(
            platform="telegram", platform_user_id="1", chat_platform="telegram",
            chat_id=None, default="home",
        )  # fmt: skip
        assert found is not None
        member = found.member
        assert sorted(a.platform for a in member.accounts) == ["discord", "telegram"]
        assert all(a.member is member for a in member.accounts)
        assert not uow.session.dirty and not uow.session.new  # loaded, unchanged
        assert await uow.session.get(Member, member.id) is member  # the session's own
        member.language = "fr"  # a handler's change is saved at commit
        found.community.name = "Home, renamed"
        assert list(uow.session.dirty) in ([member, found.community], [found.community, member])
    async with database.unit_of_work() as uow:
        again = await uow.members.by_account("discord", "d1")
        assert again is not None and again.language == "fr"
        home = await uow.communities.by_slug("home")
        assert home is not None and home.name == "Home, renamed"


async def test_the_objects_refresh_expire_and_delete_like_loaded_ones(database: Database) -> None:
    async with database.unit_of_work() as uow:
        await uow.session.execute(update(Member).values(bio="changed behind its back"))
        found = await uow.callers.find(
            platform="telegram", platform_user_id="1", chat_platform="telegram",
            chat_id=None, default="home",
        )  # fmt: skip
        assert found is not None
        member = found.member
        assert member.bio == "changed behind its back"  # the row as it is now
        await uow.session.execute(update(Member).values(bio="and again"))
        await uow.session.refresh(member)
        assert member.bio == "and again"
        uow.session.expire(member, ["bio"])
        assert await uow.session.run_sync(lambda _s: member.bio) == "and again"  # reloaded on use
        for account in list(member.accounts):
            await uow.session.delete(account)
        await uow.session.delete(member)
    async with database.unit_of_work() as uow:
        assert await uow.members.by_account("telegram", "1") is None


async def test_someone_never_met_is_not_found(database: Database) -> None:
    async with database.unit_of_work() as uow:
        callers = uow.callers
        found = await callers.find(
            platform="telegram", platform_user_id="2", chat_platform="telegram",
            chat_id="-100", default="home",
        )  # fmt: skip
        assert found is None
        cc = await callers.community_for(chat_platform="telegram", chat_id="-100", default="home")
        home = await callers.community_for(chat_platform="telegram", chat_id=None, default="home")
        assert cc is not None and cc.slug == "cc" and home is not None and home.slug == "home"
