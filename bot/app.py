"""The application: wires configuration, storage, clock, registry and router together.

Adapters hold one :class:`BotApp` and call :meth:`BotApp.handle`; background senders are
registered as messengers. Tests build it with a temporary database and a manual clock.

``BotApp`` implements :class:`bot.core.ports.Ports`, the one thing the router, handlers and
periodic jobs see of it: the units of work, the clock, the registry, the access policy, the
default community and the services. It builds the services container from what the features
declared on the registry and adds the settings sections (``services[AdviceConfig]``...), so
nothing is ever attached to the app after it is built.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from bot.config import AdminsConfig, Settings
from bot.core.clock import Clock, SystemClock
from bot.core.followed import FollowedIndexes
from bot.core.messages import Actor, Platform, Reply, Request
from bot.core.ports import Messenger
from bot.core.registry import Registry
from bot.core.router import Router
from bot.core.services import Services
from bot.features import build_registry
from bot.features.hub.demo import ensure_demo_catalogue
from bot.features.hub.service import HubService
from bot.health import Health
from storage.database import Database
from storage.statuses import ChatPurpose
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConfiguredAdmins:
    """The access policy from the config: the secretariat listed under ``[admins]`` and whoever
    the platform itself marks as admin (the console's ``--admin``) administer every community."""

    admins: AdminsConfig

    def is_global_admin(self, actor: Actor) -> bool:
        configured = getattr(self.admins, actor.platform.value, ())
        return actor.is_platform_admin or actor.user_id in configured


def settings_services(settings: Settings, services: Services) -> None:
    """Offer the settings to the features: each section they read by its type, and the whole
    settings for what spans sections (the communities: ``services[Settings].all_communities``).

    ``[community]`` is not offered as a ``CommunityConfig``: a feature wants the community of
    the request (``settings.community_named(ctx.community.slug)``), not the default one.
    """
    services.provide(Settings, settings)
    for section in (
        settings.admins,
        settings.reminders,
        settings.advice,
        settings.assessment,
        settings.privacy,
        settings.hub,
        settings.contributions,
    ):
        services.provide(type(section), section)


@dataclass
class BotApp:
    settings: Settings
    database: Database
    clock: Clock
    registry: Registry
    messengers: dict[Platform, Messenger] = field(default_factory=dict)
    router: Router = field(init=False)
    services: Services = field(init=False)
    """The features' services (declared on the registry) and the settings sections."""
    health: Health = field(init=False)
    """Storage health: ``ready``, ``reason``, ``last_storage_ok`` (the readiness endpoint),
    held requests, giving up (see :mod:`bot.health`)."""

    def __post_init__(self) -> None:
        self.health = Health(
            self.database.availability,
            give_up_after=self.settings.storage.give_up_after_seconds,
            probe_seconds=self.settings.storage.probe_seconds,
        )
        self.services = Services.built_from(self.registry.service_factories)
        settings_services(self.settings, self.services)
        self.router = Router(self)

    # the ports (bot.core.ports.Ports) ---------------------------------------------------

    def unit_of_work(self) -> AbstractAsyncContextManager[UnitOfWork]:
        return self.database.unit_of_work()

    @property
    def access(self) -> ConfiguredAdmins:
        return ConfiguredAdmins(self.settings.admins)

    @property
    def default_community(self) -> str:
        return self.settings.community.slug

    @property
    def on_enqueue(self) -> list[Callable[[], None]]:
        """Called after a transaction that added outbox rows commits (the dispatcher re-arms).

        The list lives on the database so every unit of work, in a request or a job, wakes
        the dispatcher without each feature passing the hooks along.
        """
        return self.database.after_enqueue

    @classmethod
    async def start(
        cls, settings: Settings, *, clock: Clock | None = None, migrate: bool = True
    ) -> BotApp:
        """Open the database, apply migrations, and make sure configured communities exist
        (alone among processes starting on the same PostgreSQL database)."""
        database = Database(settings.storage.url, pool_size=settings.storage.pool_size)
        # Processes started together on one database take turns here (PostgreSQL).
        async with database.startup_lock():
            if migrate:
                await database.upgrade()
            app = cls(
                settings=settings,
                database=database,
                clock=clock or SystemClock(),
                registry=build_registry(),
            )
            await app._sync_communities()
            await ensure_demo_catalogue(app)
        app.services[HubService].warm_up(app.database)
        for followed in app.services.of_kind(FollowedIndexes):
            followed.warm_up(app.database)
        return app

    async def _sync_communities(self) -> None:
        now = self.clock.now()
        async with self.database.unit_of_work() as uow:
            for config in self.settings.all_communities:
                community = await uow.communities.ensure(
                    slug=config.slug,
                    name=config.name,
                    timezone=config.timezone,
                    default_language=config.default_language,
                    now=now,
                )
                for chat in config.chats:
                    await uow.communities.link_chat(
                        community,
                        platform=chat.platform,
                        chat_id=chat.chat_id,
                        purpose=ChatPurpose(chat.purpose),
                        thread_id=chat.thread_id,
                        title=chat.title,
                    )

    def add_messenger(self, messenger: Messenger) -> None:
        """A platform is ready to send: wake the dispatcher, rows for it may be waiting."""
        self.messengers[messenger.platform] = messenger
        for wake in list(self.on_enqueue):
            wake()

    async def handle(self, request: Request) -> list[Reply]:
        return await self.router.handle(request)

    async def refusal(self, request: Request) -> list[Reply]:
        """What ``request`` would be refused with (who may run it, where), else ``[]``."""
        return await self.router.refusal(request)

    async def warmed(self) -> None:
        """Wait for the start-up's background builds: the hub index, the followed indexes."""
        await self.services[HubService].saved()
        for followed in self.services.of_kind(FollowedIndexes):
            await followed.ready()

    async def settle_heap(self) -> None:
        """Once the start-up's indexes are built, collect and freeze what is left.

        The indexes are hundreds of thousands of long-lived objects (228k with the demo
        catalogue), and every full collection of CPython's cyclic collector walked them all:
        110-130 ms with the event loop stopped, now and then, a tail every member behind it
        felt (a router run's p99 of 220 ms where its p50 was 40 ms). ``gc.freeze()`` moves
        them out of the collector's sight (a full collection then takes 1-3 ms); they are
        still freed by reference counting when an index is replaced (they hold no cycles).
        Production calls it (``adapters/runner.py``); tests do not, since hundreds of apps in
        one process would each freeze the last one's remains."""
        await self.warmed()
        gc.collect()
        gc.freeze()
        log.info("start-up settled: %d objects out of the collector's walks", gc.get_freeze_count())

    async def close(self) -> None:
        await self.services[HubService].close()
        for followed in self.services.of_kind(FollowedIndexes):
            await followed.close()
        await self.database.dispose()
