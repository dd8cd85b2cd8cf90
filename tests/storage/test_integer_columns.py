"""The bound of ``INTEGER`` arguments (``bot/core/arguments.INTEGER_MAX``) is what every
integer column holds on both databases: a typed number within it can always be looked up."""

from __future__ import annotations

from sqlalchemy import Integer, SmallInteger

from bot.core.arguments import INTEGER_MAX
from storage.models import Base


def test_every_integer_column_holds_any_number_an_argument_accepts() -> None:
    integer_columns = [
        (table.name, column.name, column.type)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Integer)
    ]
    assert len(integer_columns) >= 10
    narrow = [(t, c) for t, c, kind in integer_columns if isinstance(kind, SmallInteger)]
    assert not narrow, f"SMALLINT cannot hold {INTEGER_MAX}: {narrow}"
    # PostgreSQL INTEGER is 32-bit signed: the bound must not exceed it unless every column
    # an argument is looked up in becomes BIGINT.
    assert INTEGER_MAX == 2**31 - 1
