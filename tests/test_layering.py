"""The core and storage never import a platform library; storage never imports the core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "bot": {"telegram", "discord", "adapters"},
    "storage": {"telegram", "discord", "adapters", "bot"},
}
COMPOSITION_ROOT = "bot/cli.py"
"""The command line starts the adapters, so it alone in ``bot`` may import ``adapters``."""


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_inside_their_layer(package: str) -> None:
    breaches: dict[str, list[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        name = str(path.relative_to(ROOT))
        forbidden = FORBIDDEN[package] - ({"adapters"} if name == COMPOSITION_ROOT else set())
        if found := imported_roots(path) & forbidden:
            breaches[name] = sorted(found)
    assert breaches == {}


def test_the_check_would_see_a_breach(tmp_path: Path) -> None:
    module = tmp_path / "leak.py"
    module.write_text("import telegram\nfrom discord.ext import commands\n")
    assert {"telegram", "discord"} <= imported_roots(module)
