"""Every file or folder of the project that the docs name in backticks exists.

Modules move (session 10 split four of them; earlier sessions moved `bot/hub/` under
`bot/features/`), and a doc that still points at the old place sends a newcomer nowhere. A path
counts when it starts with one of the project's top-level folders; a path with a placeholder
(``{lang}``, ``*``) names a pattern, not a file, and is skipped, as is what ``npm`` installs.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL = ("bot/", "adapters/", "storage/", "tests/", "bench/", "docs/", "deploy/", ".ci/")
QUOTED = re.compile(r"`([A-Za-z0-9_./-]+)`")
"""A backticked word made only of path characters (no placeholder, no spaces)."""


def _documents() -> list[Path]:
    found = sorted((ROOT / "docs").glob("*.md")) + sorted(ROOT.glob("*.md"))
    return found + sorted((ROOT / "bench").glob("*.md"))


def named_paths(text: str) -> list[str]:
    """The project paths ``text`` names in backticks."""
    return [
        word.rstrip(".")
        for word in QUOTED.findall(text)
        if word.startswith(TOP_LEVEL) and "node_modules" not in word  # installed on demand
    ]


def test_the_docs_name_only_paths_that_exist() -> None:
    missing = [
        f"{document.relative_to(ROOT)}:{number}: {path}"
        for document in _documents()
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1)
        for path in named_paths(line)
        if not (ROOT / path).exists()
    ]
    assert missing == [], "\n".join(missing)


def test_a_moved_module_is_caught() -> None:
    """The check reads what a doc names: an old location is found, a pattern is not."""
    assert named_paths("see `bot/hub/text.py` and `bot/features/hub/locales/{fr,es}.po`") == [
        "bot/hub/text.py"
    ]
    assert not (ROOT / "bot/hub/text.py").exists()
