"""Finding members by what people type: within a scope, and always literally.

On both databases: a ``%`` or ``_`` typed in a name matches only itself (unescaped, ``%``
would match every member), and so does the escape character; a lookup finds only the members
of its scope. The last test reads the source: every ``LIKE`` built on a column says how user
text is escaped, so a new search cannot forget it.
"""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.database import Database
from storage.repositories.members import EVERYONE, MemberScope
from storage.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
NAMES = ("Ana", "A_na", "A%na", "Axna", "A/na", "A\\na", "Bea", "100% Ana")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    db = Database(db_url)
    await db.upgrade()
    yield db
    await db.dispose()


async def _names(uow: UnitOfWork, prefix: str, scope: MemberScope = EVERYONE) -> list[str]:
    return sorted(m.display_name for m in await uow.members.by_name_prefix(prefix, scope, limit=20))


async def test_wildcards_typed_in_a_name_are_literal(database: Database) -> None:
    async with database.unit_of_work() as uow:
        for number, name in enumerate(NAMES):
            await uow.members.create(
                display_name=name,
                platform="console",
                platform_user_id=f"u{number}",
                username=None,
                language=None,
                now=NOW,
            )
    async with database.unit_of_work() as uow:
        assert await _names(uow, "%") == []
        assert await _names(uow, "_") == []
        assert await _names(uow, "A_") == ["A_na"]
        assert await _names(uow, "a%") == ["A%na"]
        assert await _names(uow, "%a") == []
        assert await _names(uow, "A/") == ["A/na"]  # the escape character itself
        assert await _names(uow, "A\\") == ["A\\na"]
        assert await _names(uow, "100%") == ["100% Ana"]
        assert await _names(uow, "a") == ["A%na", "A/na", "A\\na", "A_na", "Ana", "Axna"]
        assert [m.display_name for m in await uow.members.by_name("a_NA", EVERYONE)] == ["A_na"]
        assert await uow.members.by_name("%", EVERYONE) == []


async def test_a_lookup_finds_only_the_members_of_its_scope(database: Database) -> None:
    async with database.unit_of_work() as uow:
        cib = await uow.communities.ensure(
            slug="champions", name="CIB", timezone="UTC", default_language="en", now=NOW
        )
        cc = await uow.communities.ensure(
            slug="cc", name="CC", timezone="UTC", default_language="en", now=NOW
        )
        people = {}
        for number, (name, community, published) in enumerate(
            (("Amina", cib, False), ("Anouk", cib, True), ("Rania", cc, False))
        ):
            member = await uow.members.create(
                display_name=name,
                platform="telegram",
                platform_user_id=str(number),
                username=name.lower(),
                language=None,
                now=NOW,
            )
            member.consent_publish = published
            await uow.communities.set_role(community, member, "member", NOW)
            people[name] = member.id
    cib_only = MemberScope.within({cib.id})
    cc_or_published = MemberScope.within({cc.id}, published=True)
    async with database.unit_of_work() as uow:
        assert await _names(uow, "a", cib_only) == ["Amina", "Anouk"]
        assert await _names(uow, "a", cc_or_published) == ["Anouk"]
        assert await _names(uow, "", MemberScope.within(set())) == []
        assert await uow.members.by_name("Rania", cib_only) == []
        assert [m.id for m in await uow.members.by_name("rania", cc_or_published)] == [
            people["Rania"]
        ]
        assert await uow.members.by_username("amina", cc_or_published) == []
        assert [m.id for m in await uow.members.by_username("AMINA", cib_only)] == [people["Amina"]]
        assert await uow.members.in_scope(people["Amina"], cc_or_published) is None
        found = await uow.members.in_scope(people["Anouk"], cc_or_published)
        assert found is not None and found.display_name == "Anouk"
        assert len(await uow.members.by_name_prefix("", EVERYONE, limit=20)) == 3


PATTERN_METHODS = {
    "like", "ilike", "notlike", "notilike", "not_like", "not_ilike",
    "startswith", "endswith", "contains", "istartswith", "iendswith", "icontains",
}  # fmt: skip
"""SQLAlchemy operators that build a ``LIKE`` pattern from their argument."""


def _on_a_column(node: ast.expr) -> bool:
    """Whether ``node`` reads like a SQL expression: ``Model.column`` or ``func.lower(...)``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Call):
        return _on_a_column(node.func)
    return isinstance(node, ast.Name) and (node.id == "func" or node.id[:1].isupper())


def _unescaped_patterns(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in PATTERN_METHODS:
            continue
        if method.startswith(("like", "ilike", "not")) or _on_a_column(node.func.value):
            keywords = {keyword.arg for keyword in node.keywords}
            if not keywords & {"escape", "autoescape"}:
                found.append(f"{where}:{node.lineno} .{method}(")
    return found


def test_every_like_pattern_built_on_a_column_escapes_user_text() -> None:
    sources = [p for part in ("bot", "storage", "adapters") for p in (ROOT / part).rglob("*.py")]
    assert len(sources) > 50
    unescaped = []
    for path in sources:
        where = str(path.relative_to(ROOT))
        unescaped += _unescaped_patterns(path.read_text(encoding="utf-8"), where)
    assert unescaped == [], "use autoescape=True (or escape=) so typed % and _ stay literal"
    # the check can tell: the member lookup as it was is caught, a plain string method is not
    old = (
        "select(Member).where(func.lower(Member.display_name).startswith(text.lower()))\n"
        "Resource.title.ilike(words)\n"
        "name.startswith('x')\n"
        "OutboxMessage.idempotency_key.startswith(prefix, autoescape=True)\n"
    )
    assert sorted(_unescaped_patterns(old, "old")) == ["old:1 .startswith(", "old:2 .ilike("]
