"""Exports for the hub website and the newsletter: profiles and stories of consenting members.

Only members who said yes to publication appear by name. Every piece of member text is escaped
in HTML and Markdown, and a card whose text is Arabic is laid out right to left.
"""

from __future__ import annotations

import enum
import html
import json
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from bot.core.i18n import N_, Translator
from bot.core.vocab import REGIONS, ROLES, THEMES, country_name, label
from storage.models import Community, Member
from storage.unit_of_work import UnitOfWork


class ExportFormat(enum.StrEnum):
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


class ExportKind(enum.StrEnum):
    PROFILES = "profiles"
    STORIES = "stories"
    THREADS = "threads"


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


def is_rtl(text: str) -> bool:
    """True when most letters of ``text`` are written right to left (Arabic, Hebrew)."""
    strong = [unicodedata.bidirectional(ch) for ch in text if ch.isalpha()]
    rtl = sum(1 for kind in strong if kind in ("R", "AL"))
    return bool(strong) and rtl * 2 > len(strong)


def _profile(member: Member, champion: bool, t: Translator) -> PublicProfile:
    return PublicProfile(
        name=member.display_name,
        role=t.gettext(label(ROLES, member.role) or "") if member.role else "",
        organisation=member.organisation or "",
        country=country_name(member.country, t.language) if member.country else "",
        region=t.gettext(label(REGIONS, member.region) or "") if member.region else "",
        languages=[t.language_name(code) for code in member.languages],
        expertise=[t.gettext(label(THEMES, code) or code) for code in member.expertise],
        bio=member.bio or "",
        is_champion=champion,
    )


async def public_profiles(
    uow: UnitOfWork, community: Community, t: Translator
) -> list[PublicProfile]:
    """Consenting members of ``community``: champions first, then by name."""
    champions = {m.id for m in await uow.communities.members_with_role(community, "champion")}
    people = [m for m in await uow.members.all() if m.consent_publish]
    memberships = {m.id: await uow.communities.membership(community, m) for m in people}
    people = [m for m in people if memberships[m.id] is not None]
    people.sort(key=lambda m: (m.id not in champions, m.display_name.casefold()))
    return [_profile(m, m.id in champions, t) for m in people]


async def public_stories(uow: UnitOfWork, community: Community, t: Translator) -> list[PublicStory]:
    """Approved stories; the author is named only with their consent."""
    stories = []
    for story in await uow.stories.with_status(community.id, "approved"):
        author = await uow.members.get(story.member_id)
        region = t.gettext(label(REGIONS, author.region) or "") if author and author.region else ""
        name = author.display_name if author and author.consent_publish else t.gettext("A champion")
        stories.append(PublicStory(name, region, story.text, story.created_at.date().isoformat()))
    return stories


async def public_threads(
    uow: UnitOfWork, community: Community, t: Translator
) -> list[PublicThread]:
    """Questions with their answers; an answer is signed only when its author consented."""
    threads = []
    for question in reversed(await uow.advice.questions(community.id, limit=1000)):
        if question.status == "deleted":
            continue
        answers = []
        for answer in await uow.advice.answers(question.id):
            author = await uow.members.get(answer.author_id) if answer.author_id else None
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


def threads_markdown(title: str, threads: list[PublicThread], t: Translator) -> str:
    parts = [f"# {md_escape(title)}", ""]
    for thread in threads:
        parts += [f"## {md_escape(thread.id)} · {md_escape(thread.title)}", ""]
        if thread.body:
            parts += [md_escape(thread.body), ""]
        for answer in thread.answers:
            mark = "✅ " if answer["best"] == "yes" else ""
            parts.append(f"- {mark}**{md_escape(answer['author'])}**: {md_escape(answer['text'])}")
        parts.append("")
    return "\n".join(parts)


def threads_html(title: str, threads: list[PublicThread], t: Translator) -> str:
    cards = []
    for thread in threads:
        answers = "".join(
            f'<li dir="auto">{"✅ " if a["best"] == "yes" else ""}'
            f"<strong>{_e(a['author'])}</strong>: {_e(a['text'])}</li>"
            for a in thread.answers
        )
        cards.append(
            f'<li class="card"{_dir(thread.title, thread.body)}>'
            f"<h2>{_e(thread.id)} · {_e(thread.title)}</h2>"
            + (f"<p>{_e(thread.body)}</p>" if thread.body else "")
            + (f"<ul>{answers}</ul>" if answers else "")
            + "</li>"
        )
    return _html_page(title, cards, t)


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",
sans-serif;
margin:0;padding:2rem;background:#f6f4f8;color:#1d1b20}
h1{font-size:1.6rem;margin:0 0 1.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(18rem,1fr));gap:1rem;
list-style:none;padding:0;margin:0}
.card{background:#fff;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.15);
overflow-wrap:anywhere}
.card h2{font-size:1.15rem;margin:0 0 .25rem;color:#4a148c}
.meta{margin:.1rem 0;color:#49454f;font-size:.95rem}
.badge{display:inline-block;background:#4a148c;color:#fff;border-radius:1rem;padding:.1rem .6rem;
font-size:.8rem;margin-bottom:.5rem}
.tags{margin:.5rem 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.35rem}
.tags li{background:#ede7f6;border-radius:1rem;padding:.1rem .6rem;font-size:.85rem}
[dir=rtl]{text-align:right}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _dir(*texts: str) -> str:
    return ' dir="rtl" lang="ar"' if is_rtl(" ".join(texts)) else ' dir="auto"'


def _html_page(title: str, cards: list[str], t: Translator) -> str:
    empty = t.gettext("Nothing to show yet.")
    body = "\n".join(cards) or f"<li>{_e(empty)}</li>"
    direction = "rtl" if t.rtl else "ltr"
    return (
        f'<!DOCTYPE html>\n<html lang="{t.language}" dir="{direction}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f'<main>\n<h1>{_e(title)}</h1>\n<ul class="cards">\n{body}\n</ul>\n</main>\n'
        "</body>\n</html>\n"
    )


def profiles_html(title: str, profiles: list[PublicProfile], t: Translator) -> str:
    champion = t.gettext("Champion")
    expertise = t.gettext("Expertise")
    cards = []
    for index, p in enumerate(profiles):
        heading = f"p{index}"
        lines = [
            f'<li class="card"{_dir(p.name, p.bio, p.organisation)} aria-labelledby="{heading}">',
            f'<h2 id="{heading}">{_e(p.name)}</h2>',
        ]
        if p.is_champion:
            lines.append(f'<span class="badge">{_e(champion)}</span>')
        for value in (p.role, p.organisation, ", ".join(filter(None, (p.country, p.region)))):
            if value:
                lines.append(f'<p class="meta">{_e(value)}</p>')
        if p.bio:
            lines.append(f"<p>{_e(p.bio)}</p>")
        if p.expertise:
            tags = "".join(f"<li>{_e(x)}</li>" for x in p.expertise)
            lines.append(f'<ul class="tags" aria-label="{_e(expertise)}">{tags}</ul>')
        lines.append("</li>")
        cards.append("\n".join(lines))
    return _html_page(title, cards, t)


def stories_html(title: str, stories: list[PublicStory], t: Translator) -> str:
    cards = [
        f'<li class="card"{_dir(s.text)}><h2>{_e(s.author)}</h2>'
        f'<p class="meta">{_e(", ".join(filter(None, (s.region, s.date))))}</p>'
        f"<p>{_e(s.text)}</p></li>"
        for s in stories
    ]
    return _html_page(title, cards, t)


_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|~"


def md_escape(text: str) -> str:
    escaped = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)
    return " ".join(escaped.split())


def profiles_markdown(title: str, profiles: list[PublicProfile], t: Translator) -> str:
    expertise = t.gettext("Expertise")
    parts = [f"# {md_escape(title)}", ""]
    for p in profiles:
        parts.append(f"## {md_escape(p.name)}")
        for value in (p.role, p.organisation, ", ".join(filter(None, (p.country, p.region)))):
            if value:
                parts.append(f"- {md_escape(value)}")
        if p.expertise:
            parts.append(f"- {md_escape(expertise)}: {md_escape(', '.join(p.expertise))}")
        if p.bio:
            parts += ["", md_escape(p.bio)]
        parts.append("")
    return "\n".join(parts)


def stories_markdown(title: str, stories: list[PublicStory], t: Translator) -> str:
    parts = [f"# {md_escape(title)}", ""]
    for s in stories:
        meta = ", ".join(filter(None, (s.region, s.date)))
        parts += [f"## {md_escape(s.author)}", f"_{md_escape(meta)}_", "", md_escape(s.text), ""]
    return "\n".join(parts)


EXTENSIONS = {ExportFormat.JSON: "json", ExportFormat.MARKDOWN: "md", ExportFormat.HTML: "html"}
MIME_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.MARKDOWN: "text/markdown",
    ExportFormat.HTML: "text/html",
}

_Loader = Callable[[UnitOfWork, Community, Translator], Awaitable[Sequence[Any]]]
_Renderer = Callable[[str, Any, Translator], str]
_KINDS: dict[ExportKind, tuple[_Loader, str, _Renderer, _Renderer]] = {
    ExportKind.PROFILES: (
        public_profiles,
        N_("Champions of {community}"),
        profiles_markdown,
        profiles_html,
    ),
    ExportKind.STORIES: (
        public_stories,
        N_("Stories from {community}"),
        stories_markdown,
        stories_html,
    ),
    ExportKind.THREADS: (
        public_threads,
        N_("Peer advice from {community}"),
        threads_markdown,
        threads_html,
    ),
}


async def export(
    uow: UnitOfWork,
    community: Community,
    kind: ExportKind,
    fmt: ExportFormat,
    t: Translator,
    now: datetime,
) -> tuple[str, bytes]:
    """The file name and content of an export."""
    load, title_msgid, as_markdown, as_html = _KINDS[kind]
    items = await load(uow, community, t)
    title = t.gettext(title_msgid, community=community.name)
    if fmt is ExportFormat.JSON:
        text = json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=2)
    elif fmt is ExportFormat.MARKDOWN:
        text = as_markdown(title, items, t)
    else:
        text = as_html(title, items, t)
    filename = f"{community.slug}-{kind.value}-{now.date().isoformat()}.{EXTENSIONS[fmt]}"
    return filename, text.encode()
