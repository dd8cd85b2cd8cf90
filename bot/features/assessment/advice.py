"""Advice that follows a weak criterion: hub resources on its theme, the next webinar on it, a
champion strong on it who agreed to be asked, a mentor proposal (or the mentoring pointer) and
an action to note.

Everything comes from the bot's own data: the hub index (theme filter), the community's
scheduled events (their title or description names the theme in any language), and peers'
latest finished personal assessments where they said ``askable``, and the community's active
mentoring offers on the theme (``bot.features.mentoring.suggest``: capacity, language, bans,
profile visibility, ranked by the matching's own weights).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.context import CommandContext
from bot.core.registry import Audience
from bot.core.vocab import TAXONOMY
from bot.features.assessment.framework import Criterion, Framework
from bot.features.assessment.scoring import STRONG_AT_LEAST
from bot.features.events.commands import _visible as visible
from bot.features.hub.docs import Filters
from bot.features.hub.service import HubService
from bot.features.mentoring.suggest import Suggestion, mentors_for
from bot.features.profiles.lookup import profile_scope
from storage.models import Event, Member
from storage.statuses import EventStatus

PER_CRITERION = 2
"""Resources and peers shown for each weak criterion (a chat message, not a catalogue)."""


@dataclass
class Advice:
    criterion: Criterion
    resources: list[tuple[str, str | None]] = field(default_factory=list)
    """(title, address)."""
    webinar: Event | None = None
    peers: list[Member] = field(default_factory=list)
    mentor: Suggestion | None = None
    """A mentor who offered help on the theme and fits; None: the plain ``/mentor request``."""


def theme_words(theme: str) -> list[str]:
    """The theme's label and synonyms in every language, lower case."""
    for term in TAXONOMY.themes:
        if term.code == theme:
            return [w.casefold() for w in term.phrases() if len(w) > 3]
    return []


async def advise(
    ctx: CommandContext, framework: Framework, weak: list[Criterion], limit: int = 3
) -> list[Advice]:
    """Advice for the first ``limit`` weak criteria."""
    found = []
    events = await _upcoming(ctx)
    strong = await _strong_peers(ctx, framework)
    mentors = await _mentors(ctx, {c.theme for c in weak[:limit]})
    for criterion in weak[:limit]:
        advice = Advice(criterion)
        advice.resources = await _resources(ctx, criterion)
        words = theme_words(criterion.theme)
        advice.webinar = next(
            (
                e
                for e in events
                if any(w in f"{e.title} {e.description or ''}".casefold() for w in words)
            ),
            None,
        )
        advice.peers = strong.get(criterion.code, [])[:PER_CRITERION]
        advice.mentor = mentors.get(criterion.theme)
        found.append(advice)
    return found


async def _mentors(ctx: CommandContext, themes: set[str]) -> dict[str, Suggestion]:
    """Theme → a mentor to propose. Only champions may file ``/mentor request``, so only
    they are proposed one (the others keep the plain pointer)."""
    if ctx.audience < Audience.CHAMPION:
        return {}
    scope = await profile_scope(ctx)
    return await mentors_for(ctx.uow, ctx.community, ctx.member, themes, ctx.now, scope)


async def _resources(ctx: CommandContext, criterion: Criterion) -> list[tuple[str, str | None]]:
    hub = ctx.services[HubService]
    index = await hub.index(ctx.uow)
    result = index.search(criterion.name("en"), Filters(theme=criterion.theme), limit=PER_CRITERION)
    if not result.hits:
        result = index.search("", Filters(theme=criterion.theme), limit=PER_CRITERION)
    return [(hit.doc.title, hit.doc.url) for hit in result.hits]


async def _upcoming(ctx: CommandContext) -> list[Event]:
    """The scheduled events still ahead that this member may see, soonest first."""
    now: datetime = ctx.now
    ahead = [
        e
        for e in await ctx.uow.events.scheduled()
        if e.status is EventStatus.SCHEDULED and e.starts_at > now and await visible(ctx, e)
    ]
    return sorted(ahead, key=lambda e: e.starts_at)


async def _strong_peers(ctx: CommandContext, framework: Framework) -> dict[str, list[Member]]:
    """Criterion → members of this community who rate themselves strong on it and agreed to
    be suggested (their latest finished personal assessment)."""
    rows = await ctx.uow.assessments.latest_done(
        framework.code, track="personal", community_ids=[ctx.community.id], askable=True
    )
    rows = [(a, m) for a, m in rows if m.id != ctx.member.id]
    answers = await ctx.uow.assessments.answers_of([a.id for a, _m in rows])
    strong: dict[str, list[Member]] = {}
    for assessment, member in rows:
        for code, level in answers[assessment.id].items():
            if level is not None and level >= STRONG_AT_LEAST:
                strong.setdefault(code, []).append(member)
    return strong
