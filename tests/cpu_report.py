"""``TEST_CPU_REPORT=40 pytest``: the tests that cost the most CPU (this process's, threads
included, and its finished child processes': the bot started as a program, node), then the
same by file.

Wall-clock ``--durations`` say more about the neighbours than about a test on a shared 2-core
machine; CPU time is what a test costs wherever it runs, so this is how the suite is kept
under its ten minutes (docs/testing.md).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Generator

import pytest

_COSTS: Counter[str] = Counter()


def _cpu() -> float:
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    started = _cpu()
    try:
        return (yield)
    finally:
        _COSTS[item.nodeid] += _cpu() - started


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    top = int(os.environ.get("TEST_CPU_REPORT", "0") or 0)
    if not top or not _COSTS:
        return
    write = terminalreporter.write_line
    write(f"CPU seconds: {sum(_COSTS.values()):.0f} in {len(_COSTS)} tests")
    for nodeid, seconds in _COSTS.most_common(top):
        write(f"{seconds:8.2f}  {nodeid}")
    by_file: Counter[str] = Counter()
    for nodeid, seconds in _COSTS.items():
        by_file[nodeid.split("::")[0]] += seconds
    write("by file:")
    for path, seconds in by_file.most_common(top):
        write(f"{seconds:8.2f}  {path}")
