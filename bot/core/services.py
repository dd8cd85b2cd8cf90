"""The services a running app offers its features, in one container keyed by type.

A feature that keeps state for the life of the app (the hub's search index) or reads a
settings section asks for it by its type: ``ctx.services[HubService]``,
``ctx.services[AdviceConfig]``. Why a container keyed by type, and not attributes set on the
app (``setattr(app, "_hub_service", ...)``) or a dict keyed by strings:

- **Typed.** The key is the class, so mypy knows ``services[HubService]`` is a ``HubService``,
  and a service that was never provided fails at once with its name, not with ``None`` later.
- **Declared by the feature.** A feature says what it needs built next to its commands
  (``feature.service(HubService)``, kept on the registry like every other declaration); the
  app builds the container from the registry and adds the settings sections. Adding a service is
  then a change in one folder, and the core never learns what the services are.
- **One per app.** Each app builds its own container, so two apps in one process (tests, a
  restarted app) never share a service's state, and nothing is cached on a module.

The container is the app's, not the request's: a service holds no request state, and every
method that reads the database takes the request's unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

T = TypeVar("T")

ServiceFactory = Callable[[], Any]
"""Builds a feature's service once per app (usually the service's class itself)."""


class MissingServiceError(LookupError):
    """A service was asked for that the app never provided."""


class Services:
    """A typed container: at most one value per type."""

    def __init__(self) -> None:
        self._values: dict[type, object] = {}

    @classmethod
    def built_from(cls, factories: Mapping[type, ServiceFactory]) -> Services:
        """A container holding one service built by each factory (a registry's declarations)."""
        services = cls()
        for kind, factory in factories.items():
            services.provide(kind, factory())
        return services

    def provide(self, kind: type[T], value: T) -> None:
        """Offer ``value`` as the ``kind``; a test may replace a service with a fake this way."""
        if not isinstance(value, kind):
            raise TypeError(f"{value!r} is not a {kind.__qualname__}")
        self._values[kind] = value

    def __getitem__(self, kind: type[T]) -> T:
        try:
            return cast(T, self._values[kind])
        except KeyError:
            raise MissingServiceError(
                f"no {kind.__qualname__} was provided to this app (declare it with "
                "Feature.service, or provide it when the app is built)"
            ) from None

    def of_kind(self, base: type[T]) -> list[T]:
        """Every service that is a ``base`` (the app warms up and closes every followed index
        without naming the features that have one)."""
        return [value for value in self._values.values() if isinstance(value, base)]

    def __contains__(self, kind: object) -> bool:
        return kind in self._values

    def __repr__(self) -> str:
        return f"Services({', '.join(sorted(k.__qualname__ for k in self._values))})"
