"""The change-log cursor both search indexes follow with (``bot/core/changelog.py``)."""

from __future__ import annotations

from bot.core.changelog import GAP_SECONDS, GAP_WINDOW, MOST_GAPS, ChangeCursor


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_skipped_number_is_awaited_until_seen_or_expired() -> None:
    clock = Clock()
    cursor = ChangeCursor(10, clock)
    cursor.advance([11, 13, 14])  # 12 is not committed yet
    assert (cursor.version, cursor.pending()) == (14, [12])
    assert not cursor.settled(14)
    cursor.advance([12])  # it committed: read by number
    assert cursor.pending() == [] and cursor.settled(14) and cursor.version == 14
    cursor.advance([17])
    assert cursor.pending() == [15, 16]
    clock.now += GAP_SECONDS + 1  # rolled back: given up
    assert cursor.pending() == [] and cursor.settled(17)


def test_at_most_the_newest_gaps_are_kept() -> None:
    cursor = ChangeCursor(0, Clock())
    cursor.advance([MOST_GAPS * 3])
    assert len(cursor.pending()) == MOST_GAPS
    assert cursor.pending()[-1] == MOST_GAPS * 3 - 1


def test_a_build_awaits_the_numbers_of_its_window_it_did_not_list() -> None:
    clock = Clock()
    version = 1000
    listed = [n for n in range(version - GAP_WINDOW + 1, version + 3) if n != 990]
    cursor = ChangeCursor.built(version, listed, clock)
    assert cursor.version == version and cursor.pending() == [990]
    assert ChangeCursor.built(version, None, clock).pending() == []
    older = ChangeCursor(0, clock)
    older.advance([5])
    cursor.inherit(older)  # the index it replaces still awaited 1..4
    assert cursor.pending() == [1, 2, 3, 4, 990]
