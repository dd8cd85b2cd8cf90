"""Background work logs a database outage in proportion: the health already reported it."""

from __future__ import annotations

import logging

import pytest

from bot.core.background import log_failure
from storage.errors import StorageUnavailable


def test_an_outage_is_one_info_line_and_a_bug_a_warning_with_its_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("tests.background")
    with caplog.at_level(logging.INFO, logger="tests.background"):
        log_failure(log, "persist the index", StorageUnavailable("connection refused"))
        log_failure(log, "persist the index", ValueError("a bug"))
    outage, bug = caplog.records
    assert outage.levelno == logging.INFO and outage.exc_info is None
    assert "storage unavailable (connection refused)" in outage.getMessage()
    assert bug.levelno == logging.WARNING and bug.exc_info is not None
