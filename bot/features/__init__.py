"""The features, each a package: its commands, service logic, rendering and translations.

Each package exposes ``feature`` (a :class:`~bot.core.feature.Feature`) holding what its
modules declared; :func:`build_registry` installs them all on one registry.
"""

from __future__ import annotations

from bot.core.feature import Feature
from bot.core.registry import Registry
from bot.features import (
    admin,
    advice,
    announcements,
    assessment,
    calls,
    communities,
    contributions,
    digest,
    events,
    general,
    hub,
    linking,
    mentoring,
    networking,
    privacy,
    profiles,
    stories,
)

FEATURES: tuple[Feature, ...] = (
    general.feature,
    profiles.feature,
    linking.feature,
    communities.feature,
    advice.feature,
    hub.feature,
    events.feature,
    announcements.feature,
    digest.feature,
    admin.feature,
    stories.feature,
    contributions.feature,
    networking.feature,
    mentoring.feature,
    calls.feature,
    assessment.feature,
    privacy.feature,
)
"""Every feature, in the order their commands are listed in help."""


def build_registry() -> Registry:
    """A registry with every feature installed."""
    registry = Registry()
    for feature in FEATURES:
        feature.install(registry)
    return registry
