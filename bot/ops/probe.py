"""The container's HEALTHCHECK: ``python -m bot.ops.probe``.

When the bot's HTTP server is on (an ``[http]`` section in the config), GET its ``/healthz``
and exit 0 on 200, 1 otherwise. When it is off there is nothing to ask, and the probe says
healthy: the supervisor then only sees whether the process runs. Only the standard library
and the config loader are imported, so a probe every 30 seconds costs little.
"""

from __future__ import annotations

import sys
import urllib.request

from bot.config import ConfigError, Settings, load_settings

TIMEOUT = 4.0


def health_url(settings: Settings) -> str | None:
    """``http://host:port/healthz`` of the bot's HTTP server, or None when it is off."""
    http = settings.http
    if http is None:
        return None
    host = "127.0.0.1" if http.listen in ("0.0.0.0", "", "::") else http.listen
    return f"http://{host}:{http.port}/healthz"


def main() -> int:
    try:
        url = health_url(load_settings())
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 1
    if url is None:
        return 0
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
