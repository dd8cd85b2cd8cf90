"""The collector pause nests, resumes after the last block, and leaves an off collector off."""

from __future__ import annotations

import gc

import pytest

from bot.core.collector import collector_paused


def test_overlapping_pauses_resume_the_collector_after_the_last_one() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still building
    assert gc.isenabled()


def test_a_failing_build_still_resumes_the_collector() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
