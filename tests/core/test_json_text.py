"""The fast indented JSON writer gives the standard library's bytes, whatever the values."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.json_text import dumps_indented

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), inner, max_size=4)
    ),
    max_leaves=20,
)


def _standard(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@given(VALUES)
def test_it_writes_what_json_dumps_writes(value: Any) -> None:
    assert dumps_indented(value) == _standard(value)


class Status(enum.StrEnum):
    SOLVED = "solved"


def test_export_like_rows_text_enums_and_right_to_left_text() -> None:
    rows = [
        {"id": "Q1", "status": Status.SOLVED, "themes": [], "answers": [{"best": "yes"}]},
        {"name": 'ليلى "ب"\n', "score": 0.5, "empty": {}, "none": None, "count": 3},
    ]
    assert dumps_indented(rows) == _standard(rows)
    assert dumps_indented([]) == "[]"


def test_what_json_refuses_it_refuses() -> None:
    with pytest.raises(TypeError):
        dumps_indented([object()])
