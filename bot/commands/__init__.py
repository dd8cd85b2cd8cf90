"""Command declarations: each feature module registers its commands on the registry."""

from __future__ import annotations

from bot.commands import (
    admin,
    advice,
    announcements,
    communities,
    digest,
    events,
    general,
    hub,
    linking,
    members,
    privacy,
    stories,
)
from bot.core.registry import Registry

FEATURES = (
    general,
    members,
    linking,
    communities,
    advice,
    hub,
    events,
    announcements,
    digest,
    admin,
    stories,
    privacy,
)
"""Every feature module; each has ``register(registry)``."""


def build_registry() -> Registry:
    registry = Registry()
    for feature in FEATURES:
        feature.register(registry)
    return registry
