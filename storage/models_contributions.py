"""Contributions from champions (``contributions``): shared resources and good practices,
reviewed by the admins of the contributor's community. Imported by :mod:`storage.models`.

One table for both kinds keeps one review queue and one count per member ("approved
contributions" for recognition: ``contributor_member_id``, ``status``, ``reviewed_at``).
A contribution is its contributor's: ``/forget`` deletes it with them (cascade); an approved
resource stays in the catalogue (``resources``) but loses its "shared by" credit, which is
read from this table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import Base
from storage.statuses import ContributionKind, ContributionStatus
from storage.types import stored_enum


class Contribution(Base):
    """A resource a champion shared, or a good practice she wrote up."""

    __tablename__ = "contributions"
    __table_args__ = (
        Index("ix_contributions_queue", "community_id", "status"),
        Index("ix_contributions_contributor", "contributor_member_id", "status"),
        Index("ix_contributions_url_key", "url_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ContributionKind] = mapped_column(stored_enum(ContributionKind, 16))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    contributor_member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    status: Mapped[ContributionStatus] = mapped_column(
        stored_enum(ContributionStatus, 20), default=ContributionStatus.PENDING
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    title_key: Mapped[str] = mapped_column(String(500), default="")
    """The title folded to its words: near-identical titles are compared on it."""
    url: Mapped[str | None] = mapped_column(String(1000))
    url_key: Mapped[str | None] = mapped_column(String(600))
    """The url normalized as the hub's identity key (``url:host/path``)."""
    summary: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(32), default="publication")
    themes: Mapped[list[str]] = mapped_column(default=list)
    regions: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    sections: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """A good practice's parts (context, challenge, actions, ...), as the author wrote them."""
    written_in: Mapped[str] = mapped_column(String(8), default="en")
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    """The author said yes to publication (asked at the end of a write-up; withdrawable)."""
    consent_at: Mapped[datetime | None]
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="SET NULL"))
    """The catalogue resource an approved share became."""
    review_note: Mapped[str | None] = mapped_column(Text)
    """The admin's reason for a requested change or a decline (shown to the contributor)."""
    reviewed_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class SharedFile(Base):
    """A file a champion shared (a PDF, a spreadsheet...), kept in the database so every
    process can serve it: ``/files/<token>/<file name>`` on the bot's web server.

    While its contribution waits for review it belongs to it (``contribution_id``; deleted with
    it, so ``/forget`` takes it). On approval it is detached from the contribution and tied to
    the catalogue resource it became (``resource_id``): only then is it served, and it stays a
    public document of the hub, like an approved link, when its contributor is forgotten.
    """

    __tablename__ = "shared_files"
    __table_args__ = (
        Index("ix_shared_files_sha256", "sha256"),
        Index("ix_shared_files_contribution", "contribution_id"),
        Index("ix_shared_files_resource", "resource_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    """Random and unguessable (``secrets.token_urlsafe``): the file's address."""
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE")
    )
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(120))
    """Decided by the bot from the file's kind, never the sender's claim."""
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    """Of the content: the same file shared twice is caught, whatever its name."""
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    """Loaded only when served (``undefer``): listing files never reads megabytes."""
    created_at: Mapped[datetime]
    approved_at: Mapped[datetime | None]
