"""Services are declared by features, built once per app, and reached by type; never set on it."""

from __future__ import annotations

import pytest

from bot.app import BotApp
from bot.config import (
    AdminsConfig,
    AdviceConfig,
    CommunityConfig,
    HubConfig,
    RemindersConfig,
    Settings,
)
from bot.core.clock import ManualClock
from bot.core.feature import Feature
from bot.core.registry import Registry
from bot.core.services import MissingServiceError, Services
from bot.features.hub.service import HubService
from storage.database import Database
from tests.conftest import make_settings
from tests.helpers import say, texts


class Counter:
    def __init__(self, start: int = 0) -> None:
        self.value = start


def test_the_container_gives_back_what_was_provided_by_type() -> None:
    services = Services()
    counter = Counter()
    services.provide(Counter, counter)
    assert services[Counter] is counter
    assert Counter in services and HubService not in services


def test_a_missing_service_is_named() -> None:
    with pytest.raises(MissingServiceError, match="HubService"):
        Services()[HubService]


def test_a_value_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match="Counter"):
        Services().provide(Counter, "not a counter")


def test_a_feature_declares_a_service_each_app_builds_its_own() -> None:
    feature = Feature("counting")
    feature.service(Counter, lambda: Counter(41))
    registry = Registry()
    feature.install(registry)
    first = Services.built_from(registry.service_factories)
    second = Services.built_from(registry.service_factories)
    assert first[Counter].value == 41
    assert first[Counter] is not second[Counter]
    with pytest.raises(ValueError, match="declared twice"):
        feature.install(registry)


async def test_two_apps_never_share_the_hub_service(sqlite_url: str) -> None:
    first = await BotApp.start(make_settings(sqlite_url), clock=ManualClock())
    second = await BotApp.start(make_settings(sqlite_url), clock=ManualClock(), migrate=False)
    try:
        assert first.services[HubService] is not second.services[HubService]
        assert not hasattr(first, "_hub_service")
    finally:
        await first.close()
        await second.close()


async def test_the_search_uses_the_apps_hub_service(app: BotApp) -> None:
    service = app.services[HubService]
    assert "Toolkit" in texts(await say(app, "amina", "/resources toolkit"))
    # the app's one service holds the index the search used (warmed up at start)
    assert app.services[HubService] is service and service._index is not None
    assert service.builds + service.loads == 1  # built once, by this service, not per search
    assert "_hub_service" not in vars(app)


def test_the_settings_sections_are_offered_by_type() -> None:
    settings = make_settings("sqlite+aiosqlite:///:memory:")
    app = BotApp(settings, Database(settings.storage.url), ManualClock(), Registry())
    assert app.services[Settings] is settings
    assert app.services[AdminsConfig] is settings.admins
    assert app.services[RemindersConfig] is settings.reminders
    assert app.services[AdviceConfig] is settings.advice
    assert app.services[HubConfig] is settings.hub
    assert CommunityConfig not in app.services  # a feature wants its request's community
