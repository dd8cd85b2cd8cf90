"""Errors a handler raises to answer politely instead of crashing.

The router turns each into a clear reply, rolls back the request's transaction, and so
bad input changes nothing.
"""

from __future__ import annotations

from typing import Any

from bot.core.i18n import Plural


class UserFacingError(Exception):
    """An error whose message (an untranslated msgid plus values) is shown to the user.

    A count in it makes it a :class:`~bot.core.i18n.Plural`, so each reader gets their form.
    """

    def __init__(self, message: str | Plural, /, **values: Any) -> None:
        super().__init__(message if isinstance(message, str) else message.plural)
        self.message = message
        self.values = values


class UsageError(UserFacingError):
    """Arguments did not parse; the router adds the command's usage line."""


class NotFoundError(UserFacingError):
    """The thing referred to does not exist (any more): stale buttons land here."""


class PermissionDeniedError(UserFacingError):
    """The caller may not do this."""
