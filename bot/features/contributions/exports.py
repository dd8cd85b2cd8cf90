"""Good practices for the hub website and the newsletter: JSON, Markdown, HTML.

Only approved practices whose author consents to publication are exported (the consent is
asked at the end of the write-up and can be withdrawn with ``/practice consent``). The
documents come from ``templates/`` through the same machinery as the admin exports
(:class:`~bot.core.templates.DocumentTemplates`: HTML autoescaped, Markdown through the one
Markdown writer), and a card in Arabic is laid out right to left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.i18n import Translator
from bot.core.json_text import dumps_indented
from bot.core.templates import DocumentTemplates
from bot.features.admin.exports import ExportFormat, as_row, card_dir
from bot.features.contributions.practice import SECTIONS, section_label
from storage.models_contributions import Contribution
from storage.repositories.contributions import PracticeRow
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PublicPractice:
    id: int
    title: str
    author: str
    community: str
    language: str
    date: str
    sections: dict[str, str]
    parts: list[tuple[str, str]] = field(default_factory=list)
    """(translated heading, text) of each part written, in order (for the templates)."""

    @property
    def texts(self) -> list[str]:
        return [text for _heading, text in self.parts]


async def public_practices(
    uow: UnitOfWork, rows: Sequence[Contribution | PracticeRow], t: Translator
) -> list[PublicPractice]:
    found = []
    headings = {name: t.gettext(section_label(name)) for name in SECTIONS}  # once, not per row
    rows = [row for row in rows if row.publish_consent]  # never, whatever the caller passed
    authors = await uow.members.names([row.contributor_member_id for row in rows])
    communities = await uow.communities.names({row.community_id for row in rows})
    for row in rows:
        sections = {
            name: str(row.sections.get(name) or "")
            for name in SECTIONS
            if name != "title" and row.sections.get(name)
        }
        found.append(
            PublicPractice(
                id=row.id,
                title=row.title,
                author=authors.get(row.contributor_member_id, ""),
                community=communities.get(row.community_id, ""),
                language=row.written_in,
                date=(row.reviewed_at or row.updated_at).date().isoformat(),
                sections=sections,
                parts=[(headings[name], text) for name, text in sections.items()],
            )
        )
    return found


_TEMPLATES = DocumentTemplates("bot.features.contributions", card_dir=card_dir)


def render(practices: list[PublicPractice], fmt: ExportFormat, t: Translator) -> str:
    if fmt is ExportFormat.JSON:
        return dumps_indented(
            [{k: v for k, v in as_row(p).items() if k != "parts"} for p in practices]
        )
    suffix = "md.j2" if fmt is ExportFormat.MARKDOWN else "html.j2"
    return _TEMPLATES.render(
        f"practices.{suffix}",
        title=t.gettext("Good practices from the champions"),
        items=practices,
        labels={"empty": t.gettext("No good practice is published yet.")},
        language=t.language,
        direction="rtl" if t.rtl else "ltr",
    )


def encoded(practices: list[PublicPractice], fmt: ExportFormat, t: Translator) -> bytes:
    """The document as bytes, for a worker thread: it touches no session or ORM object."""
    return render(practices, fmt, t).encode()
