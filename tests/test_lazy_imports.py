"""Importing the bot loads no heavy library (issue 17, point 7): the console answers sooner.

networkx and numpy (matching, mentoring, the hub index), matplotlib (charts) and rapidfuzz are
imported inside the functions that use them. icalendar and jinja2 stay at module level: they
cost about 0.06 s and 0.03 s here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
