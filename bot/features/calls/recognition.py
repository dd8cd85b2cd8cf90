"""Recognition: what champions gave the network, counted where it shows (profile card,
``/stats``, the visibility export).

Three counts per member:

- **talks given**: events of the community, not cancelled and already started, that list the
  member among their speakers (a speaking call's pick puts them there, as ``/webinar edit
  speakers`` does);
- **best answers**: their answers an asker (or an admin) marked best in an advice thread;
- **contributions**: whatever the contribution features count. They plug in here, so this
  module needs no change when they land: a feature declares a counter with
  :func:`contribution_counter`, a coroutine ``(uow, community_id, since, until) -> {member id:
  count}`` (``community_id`` None: every community; ``since``/``until`` None: no bound)::

      from bot.features.calls.recognition import contribution_counter

      @contribution_counter
      async def approved_shares(uow, community_id, since, until):
          ...  # SELECT contributor_id, count(*) ... WHERE status = 'approved' GROUP BY ...

  The module declaring it must be imported when its feature is (its package ``__init__``).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from bot.core.i18n import N_, Translator
from bot.core.richtext import Node, bold, line
from storage.models import Answer, Community, Event, Member, Question
from storage.statuses import EventStatus
from storage.unit_of_work import UnitOfWork

Counts = dict[int, int]
ContributionCounter = Callable[
    [UnitOfWork, int | None, datetime | None, datetime | None], Awaitable[Counts]
]
CONTRIBUTION_COUNTERS: list[ContributionCounter] = []
"""The contribution counters features declared (see the module docstring)."""


def contribution_counter(counter: ContributionCounter) -> ContributionCounter:
    """Declare ``counter`` as a source of "contributions approved" (idempotent)."""
    if counter not in CONTRIBUTION_COUNTERS:
        CONTRIBUTION_COUNTERS.append(counter)
    return counter


@dataclass(frozen=True)
class Recognition:
    talks_given: int = 0
    best_answers: int = 0
    contributions: int = 0

    @property
    def total(self) -> int:
        return self.talks_given + self.best_answers + self.contributions


async def talks_given(
    uow: UnitOfWork, community_id: int | None, since: datetime | None, until: datetime
) -> Counts:
    """Speakers of events that have started by ``until`` (and after ``since``)."""
    statement = select(Event.speakers).where(  # the one column: not 3,000 ORM events
        Event.status != EventStatus.CANCELLED, Event.starts_at <= until
    )
    if community_id is not None:
        statement = statement.where(Event.community_id == community_id)
    if since is not None:
        statement = statement.where(Event.starts_at >= since)
    counts: Counter[int] = Counter()
    for speakers in (await uow.session.scalars(statement)).all():
        counts.update(set(speakers or ()))
    return dict(counts)


async def best_answers(
    uow: UnitOfWork, community_id: int | None, since: datetime | None, until: datetime | None
) -> Counts:
    """Authors of answers marked best (counted when the answer was written)."""
    statement = (
        select(Answer.author_id, func.count())
        .join(Question, Question.best_answer_id == Answer.id)
        .where(Answer.author_id.is_not(None))
        .group_by(Answer.author_id)
    )
    if community_id is not None:
        statement = statement.where(Question.community_id == community_id)
    if since is not None:
        statement = statement.where(Answer.created_at >= since)
    if until is not None:
        statement = statement.where(Answer.created_at < until)
    rows = (await uow.session.execute(statement)).all()
    return {int(author): int(n) for author, n in rows if author is not None}


async def contributions(
    uow: UnitOfWork, community_id: int | None, since: datetime | None, until: datetime | None
) -> Counts:
    total: Counter[int] = Counter()
    for counter in CONTRIBUTION_COUNTERS:
        total.update(await counter(uow, community_id, since, until))
    return dict(total)


async def recognition(
    uow: UnitOfWork,
    community_id: int | None,
    since: datetime | None,
    until: datetime | None,
    *,
    now: datetime,
) -> dict[int, Recognition]:
    """Every recognised member's counts, in a community (None: all) and a period (None: no
    bound); a talk counts once its event has started (by ``now``)."""
    talks = await talks_given(uow, community_id, since, min(until, now) if until else now)
    answers = await best_answers(uow, community_id, since, until)
    given = await contributions(uow, community_id, since, until)
    return {
        member_id: Recognition(
            talks.get(member_id, 0), answers.get(member_id, 0), given.get(member_id, 0)
        )
        for member_id in {*talks, *answers, *given}
    }


async def of_member(uow: UnitOfWork, member: Member, now: datetime) -> Recognition:
    """One member's counts, in every community (their profile card)."""
    everyone = await recognition(uow, None, None, None, now=now)
    return everyone.get(member.id, Recognition())


def profile_line(found: Recognition, translator: Translator) -> Node | None:
    """``Recognition: talks given 2 · best answers 3 · contributions 1`` (None when nothing)."""
    if not found.total:
        return None
    _ = translator.gettext
    text = _(
        "talks given {talks} · best answers {answers} · contributions {contributions}",
        talks=found.talks_given,
        answers=found.best_answers,
        contributions=found.contributions,
    )
    return line(bold(_("Recognition")), translator.colon, text)


# /stats and the export -------------------------------------------------------------------


async def stat_rows(
    uow: UnitOfWork, community: Community, since: datetime, until: datetime
) -> list[tuple[str, int | str]]:
    """For ``/stats``: talks, best answers and contributions in the period, and who gave most."""
    # the three counts summed and merged as they come: a month may recognise 30k members,
    # and a Recognition object for each (as :func:`recognition` builds) is not needed here
    talks = await talks_given(uow, community.id, since, until)
    answers = await best_answers(uow, community.id, since, until)
    given = await contributions(uow, community.id, since, until)
    totals: Counter[int] = Counter(talks)
    totals.update(answers)
    totals.update(given)
    top = heapq.nsmallest(3, totals.items(), key=lambda item: (-item[1], item[0]))
    members = await uow.members.by_ids([member_id for member_id, _total in top])
    names = []
    for member_id, total in top:
        member = members.get(member_id)
        if member is not None:
            names.append(f"{member.display_name} ({total})")
    return [
        (N_("Talks given by members"), sum(talks.values())),
        (N_("Answers marked best"), sum(answers.values())),
        (N_("Contributions approved"), sum(given.values())),
        (N_("Most recognised"), "; ".join(names) or "—"),
    ]


@dataclass(frozen=True)
class PublicRecognition:
    """One row of the visibility export: a consenting member and what they gave."""

    name: str
    talks_given: int
    best_answers: int
    contributions: int
    total: int


async def public_recognition(
    uow: UnitOfWork, community: Community, now: datetime
) -> list[PublicRecognition]:
    """Members of ``community`` who agreed to publication, most recognised first."""
    found = await recognition(uow, community.id, None, None, now=now)
    published = await uow.communities.published_names(community)
    rows = []
    for member_id, counts in found.items():
        name = published.get(member_id)
        if name is None:
            continue
        rows.append(
            PublicRecognition(name, counts.talks_given, counts.best_answers, counts.contributions,
                              counts.total)
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.total, r.name.casefold()))
    return rows
