"""The layers hold: the core and storage never import a platform library, storage never imports
the core, and the import contracts in pyproject.toml pass on the real tree and fail on a breach.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
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


# The import contracts (pyproject.toml, [tool.importlinter]), checked by import-linter ------

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = {
    "layers": "Layers: core < config < delivery < features < app",
    "storage-alone": "Storage never imports the bot",
    "adapters-apart": "No adapter imports another",
    "bot-platform-free": "The bot never imports a platform library",
    "core-database-free": "The core never imports SQLAlchemy or Alembic",
}
"""Each contract's id and the start of the name lint-imports reports it by."""


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the tree at ``root`` with that tree's own contracts."""
    command = str(LINT_IMPORTS) if LINT_IMPORTS.exists() else shutil.which("lint-imports")
    assert command, "lint-imports is not installed (pip install -e '.[dev]')"
    return subprocess.run(
        [command, "--no-cache", "--no-logo"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_of_the_tree(destination: Path) -> Path:
    """The packages' Python files and pyproject.toml, copied under ``destination``."""
    for package in ("bot", "storage", "adapters"):
        shutil.copytree(
            ROOT / package,
            destination / package,
            ignore=lambda folder, names: (
                [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()]
                + ["__pycache__"]
            ),
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_import_contracts_hold_on_the_real_tree() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    report = " ".join(result.stdout.split())
    for name in CONTRACTS.values():
        assert name in report
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report


BREACHES = {
    "layers": ("bot/core/context.py", "from bot.app import BotApp"),
    "storage-alone": ("storage/models.py", "from bot.core.clock import Clock"),
    "adapters-apart": ("adapters/console/render.py", "import adapters.telegram.render"),
    "bot-platform-free": ("bot/features/general/commands.py", "import telegram"),
    "core-database-free": ("bot/core/router.py", "from sqlalchemy.exc import IntegrityError"),
}
"""One import each contract forbids, and the module it is added to."""


@pytest.mark.parametrize("contract", sorted(BREACHES))
def test_an_import_contract_fails_on_a_breach(tmp_path: Path, contract: str) -> None:
    tree = copy_of_the_tree(tmp_path)
    module, statement = BREACHES[contract]
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{statement}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    report = " ".join(result.stdout.split())
    assert f"Contracts: {len(CONTRACTS) - 1} kept, 1 broken." in report
    broken = report.split("Broken contracts", 1)[1]
    assert CONTRACTS[contract] in broken
    assert module.removesuffix(".py").replace("/", ".") in broken  # it names the culprit
