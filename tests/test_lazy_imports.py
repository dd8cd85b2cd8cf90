"""Importing the bot loads no heavy library (issue 17, point 7): the console answers sooner.

networkx and numpy (matching, mentoring, the hub index), matplotlib (charts) and rapidfuzz are
imported inside the functions that use them. icalendar and jinja2 stay at module level: they
cost about 0.06 s and 0.03 s here.

The command line imports what its command needs: ``--version`` answered in 1.3 s of CPU when
``bot.cli`` imported every feature, 0.04 s now; ``db upgrade`` 1.4 s, 0.8 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("networkx", "numpy", "matplotlib", "scipy", "rapidfuzz")


def test_importing_the_app_loads_no_heavy_library() -> None:
    script = (
        "import json, sys\n"
        "import bot.app, bot.cli\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def modules_loaded_by(*argv: str, cwd: Path) -> tuple[str, list[str]]:
    """What ``champions-bot ARGV`` printed, and every module it imported."""
    script = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CHAMPIONS_BOT_CONFIG", None)
    out = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True, text=True, check=True, env=env, cwd=cwd,
    )  # fmt: skip
    *printed, modules = out.stdout.strip().splitlines()
    return "\n".join(printed), json.loads(modules)


def _under(modules: list[str], *packages: str) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["hub", "search", "--help"]])
def test_version_and_help_import_neither_the_bot_nor_its_libraries(
    argv: list[str], tmp_path: Path
) -> None:
    printed, modules = modules_loaded_by(*argv, cwd=tmp_path)
    assert "champions-bot" in printed  # the command did answer
    heavy = ("bot.features", "bot.app", "bot.config", "pydantic", "sqlalchemy", "alembic")
    assert _under(modules, *heavy) == []


def test_db_upgrade_imports_no_feature(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    printed, modules = modules_loaded_by("db", "upgrade", "--db", url, cwd=tmp_path)
    assert printed.startswith("Database is up to date")
    assert "alembic" in modules  # it did migrate
    assert _under(modules, "bot.features", "bot.app", "adapters", *HEAVY) == []
