"""``column IN (ids)`` as one bound value, however many ids.

A plain ``IN`` binds one parameter per id: at 30k ids it nears the drivers' parameter limits
(32,767 on asyncpg) and makes a statement that grows with the data. PostgreSQL takes the ids as
one array (``= ANY($1)``); SQLite as one JSON text read by ``json_each``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession


def in_ids(session: AsyncSession, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, written for the session's database."""
    values = [int(i) for i in ids]
    if session.get_bind().dialect.name == "postgresql":
        # unique: a statement may hold two lists (``a IN ids OR b IN ids``)
        return column == any_(bindparam("ids", values, type_=ARRAY(Integer), unique=True))
    table = func.json_each(json.dumps(values)).table_valued("value")
    return column.in_(select(table.c.value))
