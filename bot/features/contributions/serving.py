"""How the web server answers for an approved shared file (``GET /files/<token>/<name>``).

The type is the one the bot decided when it accepted the file; ``nosniff`` stops a browser
from guessing another, and the sandbox policy keeps anything in it from running as the bot's
site. PDF, pictures and text open in the browser; office documents download.
"""

from __future__ import annotations

from urllib.parse import quote

from bot.features.contributions.files import kind_of
from storage.models_contributions import SharedFile

CACHE_SECONDS = 3600


def shared_file_headers(shared: SharedFile) -> dict[str, str]:
    kind = kind_of(shared.filename)
    disposition = "inline" if kind is not None and kind.inline else "attachment"
    # the name is safe_filename's (letters of any script, digits, ._- and spaces): no quote or
    # line break; the plain form keeps ASCII only, the filename* form has every letter
    plain = shared.filename.encode("ascii", "replace").decode().replace("?", "_")
    return {
        "Content-Type": shared.mime_type,
        "Content-Disposition": (
            f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(shared.filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        "ETag": f'"{shared.sha256}"',
    }
