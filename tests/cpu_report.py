"""``TEST_CPU_REPORT=40 pytest``: the tests that cost the most CPU (the test process's, its
threads included, and its finished child processes': the bot run as a program, node), then
the same by file. Works with ``-n`` (pytest-xdist): each phase's cost travels with its report.

Wall-clock ``--durations`` say more about the neighbours than about a test on a shared 2-core
machine; CPU time is what a test costs wherever it runs, so this is how the suite is kept
under its ten minutes (docs/testing.md).
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

KEY = "cpu_seconds"
_COSTS: dict[str, float] = {}
_MARKS: dict[str, float] = {}


def _cpu() -> float:
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid: str) -> None:
    _MARKS[nodeid] = _cpu()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, object]:
    report = yield
    now = _cpu()
    report.user_properties.append((KEY, now - _MARKS.get(item.nodeid, now)))
    _MARKS[item.nodeid] = now
    return report


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == KEY and isinstance(value, float):
            _COSTS[report.nodeid] = _COSTS.get(report.nodeid, 0.0) + value


def _most(costs: dict[str, float], top: int) -> list[tuple[str, float]]:
    return sorted(costs.items(), key=lambda item: -item[1])[:top]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    top = int(os.environ.get("TEST_CPU_REPORT", "0") or 0)
    if not top or not _COSTS:
        return
    write = terminalreporter.write_line
    write(f"CPU seconds: {sum(_COSTS.values()):.0f} in {len(_COSTS)} tests")
    for nodeid, seconds in _most(_COSTS, top):
        write(f"{seconds:8.2f}  {nodeid}")
    by_file: dict[str, float] = {}
    for nodeid, seconds in _COSTS.items():
        path = nodeid.split("::")[0]
        by_file[path] = by_file.get(path, 0.0) + seconds
    write("by file:")
    for path, seconds in _most(by_file, top):
        write(f"{seconds:8.2f}  {path}")
