"""The Knowledge Hub catalogue (``resources``) and its search counts (``resource_lookups``).
Imported by :mod:`storage.models`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base


class Resource(Base):
    """One Knowledge Hub resource: a publication, toolkit, guide, dataset, webinar, news item...

    ``dedup_key`` is the identity used by imports: the normalized url when there is one, else the
    normalized title and publisher, so importing the same catalogue twice changes nothing (a url
    shared by differently titled rows of one file, a listing page, adds the title).
    ``themes``, ``regions`` and ``languages`` hold taxonomy codes (``bot/hub/taxonomy.py``).
    ``community_id`` is the community whose admin added it (its admins curate it); imported
    catalogue rows have none: they are the whole deployment's, curated by the secretariat.
    Everyone finds every resource either way: the catalogue is shared.
    """

    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_updated_at", "updated_at"),)
    """The search service reads max(updated_at) before each search (its change fingerprint)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(1000))
    type: Mapped[str] = mapped_column(String(32), default="publication")
    themes: Mapped[list[str]] = mapped_column(default=list)
    regions: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    publisher: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300), default="")
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL")
    )
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ResourceLookup(Base):
    """A resource shown in search results: counted for /stats; who searched is not kept."""

    __tablename__ = "resource_lookups"
    __table_args__ = (Index("ix_resource_lookups_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    at: Mapped[datetime]
