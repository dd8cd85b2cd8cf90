"""Optional error reports to Sentry: on only when ``SENTRY_DSN`` is set *and* the extra is
installed (``pip install 'champions-bot[sentry]'``; the container image has it).

Sentry's logging integration then sends every ``error`` log record with its traceback. What
is sent is kept to what the logs already hold: no personal data (``send_default_pii`` off),
no local variables of the failing frames (they could hold what a member typed), and the
process's secrets replaced by ``***`` in every string of the event before it leaves.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

from bot import __version__
from bot.ops.logs import redact

DSN_ENV = "SENTRY_DSN"
ENVIRONMENT_ENV = "SENTRY_ENVIRONMENT"

log = logging.getLogger(__name__)


def scrubber(secrets: Iterable[str]) -> Callable[[Any, Any], Any]:
    """A ``before_send`` hook that hides ``secrets`` in every string of an event."""
    hidden = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, hidden)
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [scrub(item) for item in value]
        return value

    def before_send(event: Any, _hint: Any) -> Any:
        return scrub(event)

    return before_send


def init_sentry(
    secrets: Iterable[str] = (),
    environ: Mapping[str, str] = os.environ,
    import_module: Callable[[str], ModuleType] = importlib.import_module,
) -> bool:
    """Start Sentry when both the DSN and the SDK are there; say whether it started."""
    dsn = environ.get(DSN_ENV, "").strip()
    if not dsn:
        return False
    try:
        sdk = import_module("sentry_sdk")
    except ImportError:
        log.warning(
            "%s is set but sentry-sdk is not installed: pip install 'champions-bot[sentry]'",
            DSN_ENV,
        )
        return False
    sdk.init(
        dsn=dsn,
        release=f"champions-bot@{__version__}",
        environment=environ.get(ENVIRONMENT_ENV) or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrubber([*secrets, dsn]),
    )
    return True
