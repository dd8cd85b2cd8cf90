"""Exports for the hub website and the newsletter: profiles and stories of consenting members,
and the pairing rounds' figures for the admins' reports.

Only members who said yes to publication appear by name; the networking export names nobody
(counts, rates and the region-by-region matrix, the same figures as ``/stats``). The documents
come from the templates in ``templates/`` (HTML autoescaped, Markdown through the one Markdown
writer), and a card whose text is Arabic is laid out right to left. CSV cells that a
spreadsheet would read as a formula get a leading ``'``.
"""

from __future__ import annotations

import asyncio
import csv
import enum
import io
import json
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache, partial
from typing import Any

from markupsafe import Markup

from bot.core.collector import collector_paused
from bot.core.i18n import N_, Translator
from bot.core.json_text import dumps_indented
from bot.core.templates import DocumentTemplates
from bot.core.vocab import REGION_CODES, REGIONS, ROLES, THEMES, country_name, label
from bot.features.calls.recognition import public_recognition
from bot.features.networking import report as meet_report
from storage.models import Community, Member
from storage.repositories.communities import PublishedMember
from storage.statuses import MeetStatus, MembershipRole, QuestionStatus
from storage.unit_of_work import UnitOfWork


class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


class ExportKind(enum.StrEnum):
    PROFILES = "profiles"
    STORIES = "stories"
    THREADS = "threads"
    NETWORKING = "networking"
    RECOGNITION = "recognition"
    """Talks given, best answers, contributions (bot/features/calls/recognition.py)."""


@dataclass(frozen=True)
class NetworkingFigures:
    """The pairing rounds at a glance: participation, meetings, repeats, and which regions
    have met which (``matrix[i][j]``: pairs between ``regions[i]`` and ``regions[j]``)."""

    taking_part: int
    paused: int
    left: int
    rounds: int
    pairs: int
    answers: int
    met: int
    meeting_rate: float
    repeated_pairs: int
    repeat_rate: float
    regions: list[str]
    matrix: list[list[int]]

    def percent(self, rate: float) -> str:
        return f"{round(rate * 100)}%"


@dataclass(frozen=True)
class PublicProfile:
    name: str
    role: str
    organisation: str
    country: str
    region: str
    languages: list[str]
    expertise: list[str]
    bio: str
    is_champion: bool

    @property
    def meta(self) -> list[str]:
        """The card's non-empty meta lines: role, organisation, "country, region" (built here
        once rather than by template filters, per card, at 30k cards)."""
        place = ", ".join(value for value in (self.country, self.region) if value)
        return [value for value in (self.role, self.organisation, place) if value]


@dataclass(frozen=True)
class PublicThread:
    """A question and its answers as the public may read them: the asker is never named."""

    id: str
    title: str
    body: str
    status: str
    themes: list[str]
    answers: list[dict[str, str]]


@dataclass(frozen=True)
class PublicStory:
    author: str
    region: str
    text: str
    date: str


FIRST_RTL = "\u0590"
"""Every right-to-left letter (bidi class R or AL) is at or above the Hebrew block."""


def is_rtl(text: str) -> bool:
    """True when most letters of ``text`` are written right to left (Arabic, Hebrew)."""
    if not text or max(text) < FIRST_RTL:
        return False  # no letter can be right to left: skip the per-letter lookup
    strong = [unicodedata.bidirectional(ch) for ch in text if ch.isalpha()]
    rtl = sum(1 for kind in strong if kind in ("R", "AL"))
    return bool(strong) and rtl * 2 > len(strong)


class _Labels:
    """Translated labels of one export, each looked up once: 30k profiles name a few dozen
    roles, regions, countries, languages and themes, not 30k."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.role = cache(lambda code: t.gettext(label(ROLES, code) or "") if code else "")
        self.region = cache(lambda code: t.gettext(label(REGIONS, code) or "") if code else "")
        self.country = cache(lambda code: country_name(code, t.language) if code else "")
        self.language = cache(t.language_name)
        self.theme = cache(lambda code: t.gettext(label(THEMES, code) or code))


def _profile(
    member: Member | PublishedMember, champion: bool, t: Translator, labels: _Labels | None = None
) -> PublicProfile:
    found = labels or _Labels(t)
    return PublicProfile(
        name=member.display_name,
        role=found.role(member.role),
        organisation=member.organisation or "",
        country=found.country(member.country),
        region=found.region(member.region),
        languages=[found.language(code) for code in member.languages],
        expertise=[found.theme(code) for code in member.expertise],
        bio=member.bio or "",
        is_champion=champion,
    )


async def public_profiles(
    uow: UnitOfWork, community: Community, t: Translator
) -> list[PublicProfile]:
    """Consenting members of ``community``: champions first, then by name."""
    people = await uow.communities.published_members(community)
    champions = {m.id for m in people if m.membership_role == MembershipRole.CHAMPION}
    people.sort(key=lambda m: (m.id not in champions, m.display_name.casefold()))
    labels = _Labels(t)
    return [_profile(m, m.id in champions, t, labels) for m in people]


async def public_stories(uow: UnitOfWork, community: Community, t: Translator) -> list[PublicStory]:
    """Approved stories; the author is named only with their consent."""
    labels = _Labels(t)
    someone = t.gettext("A champion")
    return [
        PublicStory(
            name if name is not None and consent else someone,
            labels.region(region),
            text,
            created_at.date().isoformat(),
        )
        for text, created_at, name, consent, region in await uow.stories.approved_for_export(
            community.id
        )
    ]


async def public_threads(
    uow: UnitOfWork, community: Community, t: Translator
) -> list[PublicThread]:
    """Questions with their answers; an answer is signed only when its author consented."""
    threads = []
    for question, found in await uow.advice.threads(community.id, limit=1000):
        if question.status == QuestionStatus.DELETED:
            continue
        answers = []
        for answer, author in found:
            if question.anonymous and answer.author_id == question.asker_id:
                name = t.gettext("the asker (anonymous)")
            elif author is not None and author.consent_publish:
                name = author.display_name
            else:
                name = t.gettext("A champion")
            best = "yes" if answer.id == question.best_answer_id else "no"
            answers.append({"author": name, "text": answer.body, "best": best})
        threads.append(
            PublicThread(
                id=f"Q{question.id}",
                title=question.title,
                body=question.body,
                status=question.status,
                themes=[t.gettext(label(THEMES, code) or code) for code in question.themes],
                answers=answers,
            )
        )
    return threads


async def networking_figures(
    uow: UnitOfWork, community: Community, t: Translator
) -> list[NetworkingFigures]:
    """The figures of ``/stats`` and ``/meet report``, from the same computation."""
    found = await meet_report.figures(uow, community)
    return [
        NetworkingFigures(
            taking_part=found.participants[MeetStatus.ACTIVE],
            paused=found.participants[MeetStatus.PAUSED],
            left=found.participants[MeetStatus.LEFT],
            rounds=found.rounds,
            pairs=found.pairs,
            answers=found.answers,
            met=found.met,
            meeting_rate=round(found.meeting_rate, 3),
            repeated_pairs=found.repeated_pairs,
            repeat_rate=round(found.repeat_rate, 3),
            regions=[t.gettext(label(REGIONS, code) or code) for code in REGION_CODES],
            matrix=[[found.matrix.get((a, b), 0) for b in REGION_CODES] for a in REGION_CODES],
        )
    ]


def card_dir(*texts: str) -> Markup:
    """A card's direction attributes: right to left when its text is mostly Arabic."""
    return Markup(' dir="rtl" lang="ar"' if is_rtl(" ".join(texts)) else ' dir="auto"')


_TEMPLATES = DocumentTemplates("bot.features.admin", card_dir=card_dir)


def render(
    kind: ExportKind, fmt: ExportFormat, title: str, items: Sequence[Any], t: Translator
) -> str:
    """Items of one kind as a Markdown document or a self-contained HTML page."""
    suffix = "md.j2" if fmt is ExportFormat.MARKDOWN else "html.j2"
    labels = {
        "champion": t.gettext("Champion"),
        "expertise": t.gettext("Expertise"),
        "empty": t.gettext("Nothing to show yet."),
        "taking_part": t.gettext("Taking part"),
        "paused": t.gettext("Paused"),
        "left": t.gettext("Left"),
        "rounds": t.gettext("Rounds"),
        "pairs": t.gettext("Pairs"),
        "meeting_rate": t.gettext("Meeting rate"),
        "repeat_rate": t.gettext("Repeat rate"),
        "matrix": t.gettext("Who met whom, by region"),
        "region": t.gettext("Region"),
        "talks_given": t.gettext("Talks given"),
        "best_answers": t.gettext("Best answers"),
        "contributions": t.gettext("Contributions"),
    }
    return _TEMPLATES.render(
        f"{kind.value}.{suffix}",
        title=title,
        items=items,
        labels=labels,
        answers=partial(t.ngettext, "{count} answer", "{count} answers"),
        language=t.language,
        direction="rtl" if t.rtl else "ltr",
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def as_row(item: Any) -> dict[str, Any]:
    """An exported item as a dict, like :func:`dataclasses.asdict` without its recursive deep
    copy (seconds at 30k rows): the items hold only plain values, lists and dicts."""
    kind = type(item)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(item))
    return {name: getattr(item, name) for name in names}


CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is read as a formula by spreadsheets: it gets a ``'``."""


def safe_cell(value: Any) -> str:
    """A CSV cell: lists joined by "; ", a formula-like start defused with ``'``."""
    if isinstance(value, list):
        value = "; ".join(
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value
        )
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_RISKY) else text


def render_csv(kind: ExportKind, items: Sequence[Any]) -> str:
    """One row per item (lists joined by "; "); the networking figures as two tables: the
    figures (name, value), then the region matrix with the regions as header and first column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if kind is ExportKind.NETWORKING:
        for item in items:
            for name, value in as_row(item).items():
                if name not in ("regions", "matrix"):
                    writer.writerow([name, value])
            writer.writerow([])
            writer.writerow(["", *(safe_cell(r) for r in item.regions)])
            for region, row in zip(item.regions, item.matrix, strict=True):
                writer.writerow([safe_cell(region), *row])
        return out.getvalue()
    rows = [as_row(item) for item in items]
    if rows:
        writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow([safe_cell(value) for value in row.values()])
    return out.getvalue()


EXTENSIONS = {
    ExportFormat.JSON: "json",
    ExportFormat.CSV: "csv",
    ExportFormat.MARKDOWN: "md",
    ExportFormat.HTML: "html",
}
MIME_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.CSV: "text/csv",
    ExportFormat.MARKDOWN: "text/markdown",
    ExportFormat.HTML: "text/html",
}

_Loader = Callable[[UnitOfWork, Community, Translator], Awaitable[Sequence[Any]]]
_KINDS: dict[ExportKind, tuple[_Loader | None, str]] = {
    ExportKind.PROFILES: (public_profiles, N_("Champions of {community}")),
    ExportKind.STORIES: (public_stories, N_("Stories from {community}")),
    ExportKind.THREADS: (public_threads, N_("Peer advice from {community}")),
    ExportKind.NETWORKING: (networking_figures, N_("Pairing rounds of {community}")),
    ExportKind.RECOGNITION: (None, N_("Recognition in {community}")),
}
"""The loader of each kind (recognition counts up to the export's time: loaded in
:func:`export`)."""


def build(
    kind: ExportKind, fmt: ExportFormat, title: str, items: Sequence[Any], t: Translator
) -> str:
    """The document of ``items``: plain values in, text out, touching no session or ORM object,
    so it can run in a worker thread."""
    if fmt is ExportFormat.JSON:
        return dumps_indented([as_row(item) for item in items])
    if fmt is ExportFormat.CSV:
        return render_csv(kind, items)
    return render(kind, fmt, title, items, t)


async def export(
    uow: UnitOfWork,
    community: Community,
    kind: ExportKind,
    fmt: ExportFormat,
    t: Translator,
    now: datetime,
) -> tuple[str, bytes]:
    """The file name and content of an export (built with the cyclic collector paused: at
    30k rows its full passes cost as much as the build).

    The rows are read in the request, the document is written in a worker thread: rendering
    30k rows is a second or more of CPU, and in the event loop it would hold up every member's
    request meanwhile (issue 17: long admin work never delays members). The thread shares the
    GIL, so the loop gets its turn every few milliseconds instead of after the whole file."""
    load, title_msgid = _KINDS[kind]
    with collector_paused():
        if load is None:  # recognition: counted up to the export's time
            items: Sequence[Any] = await public_recognition(uow, community, now)
        else:
            items = await load(uow, community, t)
        title = t.gettext(title_msgid, community=community.name)
        data = await asyncio.to_thread(_encoded, kind, fmt, title, items, t)
    filename = f"{community.slug}-{kind.value}-{now.date().isoformat()}.{EXTENSIONS[fmt]}"
    return filename, data


def _encoded(
    kind: ExportKind, fmt: ExportFormat, title: str, items: Sequence[Any], t: Translator
) -> bytes:
    return build(kind, fmt, title, items, t).encode()
