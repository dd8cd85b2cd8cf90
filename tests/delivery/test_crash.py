"""kill -9 mid fan-out, several times, on SQLite and PostgreSQL, Telegram and Discord."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.delivery.crash import fan_out_with_kills

LEASE = 5
"""Shorter than the default 15 s to keep the suite quick; bench/crash.py runs the default."""


@pytest.mark.parametrize("platform", ["telegram", "discord"])
async def test_kill_9_mid_fan_out_loses_nothing_and_recovers_within_seconds(
    db_url: str, tmp_path: Path, platform: str
) -> None:
    report = await fan_out_with_kills(
        platform,
        db_url,
        tmp_path / "dispatcher.log",
        count=1000,
        kills=(300, 650),
        lease=LEASE,
        rate=400,
    )
    assert report.missing == 0
    assert len(report.killed_at) == 2
    assert report.ready_to_last < 30  # the lease (5 s) and the rest of the sends
    assert report.restart_to_last < 90  # with the process's start, however slow the host
    if platform == "discord":
        assert report.duplicates == 0  # the nonce turns a repeat into the message already there
    else:
        assert report.duplicates <= 4 * len(report.killed_at)  # at most the sends in flight
