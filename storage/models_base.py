"""The declarative base every model module registers its tables on (``Base.metadata``).

Kept apart from :mod:`storage.models` so the model modules import it without importing each
other: :mod:`storage.models` imports them all, and Alembic reads ``Base.metadata`` from there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import DeclarativeBase

from storage.types import UTCDateTime


class Base(DeclarativeBase):
    """Stores ``datetime`` as UTC, and dicts and lists of strings as JSON, on every table."""

    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}
