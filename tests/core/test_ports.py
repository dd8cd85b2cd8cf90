"""The core stands alone: the router runs on any implementation of its ports, not only BotApp.

A small hand-made set of ports (a real database, a manual clock, a registry with one feature, an
access policy and a services container) is enough to handle requests; storage's own errors
make the router retry or ignore a conflicting write without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from bot.core.clock import ManualClock
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.i18n import N_
from bot.core.messages import Actor, Reply, Request
from bot.core.registry import Audience, Registry
from bot.core.router import Router
from bot.core.services import Services
from storage.database import Database
from storage.errors import DuplicateKeyError
from storage.unit_of_work import UnitOfWork
from tests.helpers import say, texts


@dataclass(frozen=True)
class Greeting:
    """A stand-in for a feature's service."""

    word: str = "hello"


lab = Feature("lab")
lab.service(Greeting)


@lab.command("whoami", description=N_("Who am I here"))
async def whoami(ctx: CommandContext) -> Reply:
    greeting = ctx.services[Greeting].word
    global_admin = "global" if ctx.is_global_admin else "local"
    return ctx.reply(f"{greeting} {ctx.audience.name} {global_admin} in {ctx.community.slug}")


@lab.command("lock", description=N_("Admins only"), audience=Audience.ADMIN)
async def lock(ctx: CommandContext) -> Reply:
    return ctx.reply("locked")


@dataclass(frozen=True)
class Bosses:
    """An access policy: the named people administer every community."""

    names: frozenset[str]

    def is_global_admin(self, actor: Actor) -> bool:
        return actor.user_id in self.names


@dataclass
class LabPorts:
    """Just the ports, no BotApp: what the router needs and nothing else."""

    database: Database
    registry: Registry
    clock: ManualClock = field(default_factory=ManualClock)
    access: Bosses = Bosses(frozenset({"boss"}))
    default_community: str = "lab"
    services: Services = field(default_factory=Services)
    conflicts: int = 0
    """How many of the next transactions fail at commit as if a concurrent twin won."""
    opened: int = 0

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        self.opened += 1
        async with self.database.unit_of_work() as uow:
            yield uow
            if self.conflicts:
                self.conflicts -= 1
                raise DuplicateKeyError("a concurrent twin committed first")


class LabApp:
    """Enough of an app for ``tests.helpers.say``: ``handle`` goes to the router."""

    def __init__(self, ports: LabPorts) -> None:
        self.ports = ports
        self.router = Router(ports)

    async def handle(self, request: Request) -> list[Reply]:
        return await self.router.handle(request)


@pytest.fixture
async def ports(sqlite_url: str) -> AsyncIterator[LabPorts]:
    database = Database(sqlite_url)
    await database.upgrade()
    registry = Registry()
    lab.install(registry)
    lab_ports = LabPorts(database, registry)
    lab_ports.services = Services.built_from(registry.service_factories)
    async with database.unit_of_work() as uow:
        await uow.communities.ensure(
            slug="lab", name="Lab", timezone="UTC", default_language="en", now=lab_ports.clock.now()
        )
    yield lab_ports
    await database.dispose()


async def test_the_router_runs_on_ports_alone(ports: LabPorts) -> None:
    app = LabApp(ports)
    assert texts(await say(app, "amina", "/whoami")) == "hello ANYONE local in lab"
    assert texts(await say(app, "boss", "/whoami")) == "hello ADMIN global in lab"


async def test_the_access_policy_decides_who_is_admin_everywhere(ports: LabPorts) -> None:
    app = LabApp(ports)
    refused = texts(await say(app, "amina", "/lock"))
    assert "for the network's admins" in refused
    assert texts(await say(app, "boss", "/lock")) == "locked"
    ports.access = Bosses(frozenset({"amina"}))
    assert texts(await say(app, "amina", "/lock")) == "locked"


async def test_a_conflicting_write_is_tried_once_more(ports: LabPorts) -> None:
    app = LabApp(ports)
    ports.conflicts = 1
    assert texts(await say(app, "amina", "/whoami")) == "hello ANYONE local in lab"
    assert ports.opened == 2
    async with ports.unit_of_work() as uow:
        assert await uow.members.by_account("console", "amina") is not None


async def test_a_conflict_twice_in_a_row_surfaces(ports: LabPorts) -> None:
    app = LabApp(ports)
    ports.conflicts = 2
    with pytest.raises(DuplicateKeyError):
        await say(app, "amina", "/whoami")
    assert ports.opened == 2


async def test_a_twin_delivery_recorded_first_is_ignored(
    ports: LabPorts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The twin committed between our check and our write: storage says duplicate key."""
    app = LabApp(ports)
    assert texts(await say(app, "amina", "/whoami", update_id="7"))

    async def not_seen(*_: object) -> bool:
        return False

    monkeypatch.setattr("storage.repositories.updates.UpdateLog.seen", not_seen)
    assert await say(app, "amina", "/whoami", update_id="7") == []
