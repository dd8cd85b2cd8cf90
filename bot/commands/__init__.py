"""Command declarations: each feature module registers its commands on the registry."""

from __future__ import annotations

from bot.commands import general, hub, members
from bot.core.registry import Registry

FEATURES = (general, members, hub)
"""Every feature module; each has ``register(registry)``."""


def build_registry() -> Registry:
    registry = Registry()
    for feature in FEATURES:
        feature.register(registry)
    return registry
