"""The frameworks one app uses: every file in ``bot/data/assessment/``, read once at start."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import NotFoundError
from bot.features.assessment.framework import (
    DEFAULT_FRAMEWORK,
    FRAMEWORK_DIR,
    Framework,
    load_frameworks,
)


class Frameworks:
    """By code; a broken file stops the start with :class:`FrameworkError` naming its line."""

    def __init__(self, folder: Path = FRAMEWORK_DIR) -> None:
        self.by_code = load_frameworks(folder)

    def get(self, code: str | None = None) -> Framework:
        found = self.by_code.get(code or DEFAULT_FRAMEWORK)
        if found is None:
            raise NotFoundError(
                "There is no assessment called “{name}”. Available: {names}.",
                name=(code or "")[:40],
                names=", ".join(sorted(self.by_code)),
            )
        return found
