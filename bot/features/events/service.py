"""Events: occurrences in the event's own zone, who reads them how, and notices to attendees.

A recurring event's occurrences are computed with ``dateutil.rrule`` on the *local* wall-clock
start in the event's zone and only then converted to UTC, so a weekly 10:00 Madrid session
stays at 10:00 Madrid when Europe changes its clocks (and moves by an hour in UTC).

The cards and reminder wordings live in :mod:`.cards`, the reminder rows in :mod:`.reminders`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from bot.core.errors import UsageError
from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.delivery import outbox
from bot.features.profiles.lookup import reachable_recipient
from storage.models import Community, Event, Member
from storage.repositories.outbox import NewMessage
from storage.repositories.recipients import Attendee, Reachable

if TYPE_CHECKING:
    from storage.unit_of_work import UnitOfWork


_REPEAT = re.compile(r"^(weekly|biweekly|monthly)(?::(\d{1,3}))?$")


def parse_repeat(value: str) -> str:
    """``weekly``, ``biweekly``, ``monthly``, optionally ``:N`` occurrences → an RRULE."""
    match = _REPEAT.match(value.strip().lower())
    if match is None:
        raise UsageError(
            "“{value}” is not a repetition. Write weekly, biweekly or monthly, optionally "
            "with a count like weekly:6.",
            value=value[:40],
        )
    kind, count = match.groups()
    rule = {"weekly": "FREQ=WEEKLY", "biweekly": "FREQ=WEEKLY;INTERVAL=2"}.get(kind, "FREQ=MONTHLY")
    if count:
        if int(count) < 1:
            raise UsageError("A series needs at least one occurrence.")
        rule += f";COUNT={int(count)}"
    return rule


def local_start(event: Event) -> datetime:
    """The first occurrence as naive wall-clock time in the event's zone."""
    return event.starts_at.astimezone(ZoneInfo(event.timezone)).replace(tzinfo=None)


def occurrences(event: Event, start: datetime, end: datetime) -> list[datetime]:
    """Starts (UTC) of the occurrences beginning in ``[start, end]``."""
    if not event.rrule:
        return [event.starts_at] if start <= event.starts_at <= end else []
    zone = ZoneInfo(event.timezone)
    rule = rrulestr(event.rrule, dtstart=local_start(event))
    lo = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    hi = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    skipped = set(event.cancelled_dates or ())
    found = [
        moment.replace(tzinfo=zone).astimezone(UTC)
        for moment in rule.between(lo, hi, inc=True)
        if moment.date().isoformat() not in skipped
    ]
    return [moment for moment in found if start <= moment <= end]


def next_occurrence(event: Event, now: datetime) -> datetime | None:
    """The occurrence running now or next (None when the event or series is over)."""
    duration = timedelta(minutes=event.duration_minutes)
    if not event.rrule:
        return event.starts_at if event.starts_at + duration > now else None
    zone = ZoneInfo(event.timezone)
    rule = rrulestr(event.rrule, dtstart=local_start(event))
    skipped = set(event.cancelled_dates or ())
    # Walk the rule from just before the running occurrence, however far ahead the next one
    # is (a series may start years from now); cancelled dates are skipped.
    cursor = (now - duration).astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    while (moment := rule.after(cursor, inc=False)) is not None:
        cursor = moment
        if moment.date().isoformat() in skipped:
            continue
        start = moment.replace(tzinfo=zone).astimezone(UTC)
        if start + duration > now:
            return start
    return None


# readers -----------------------------------------------------------------------------


def member_view(member: Member, community: Community) -> tuple[Translator, str]:
    return (
        Translator(member.language or community.default_language),
        member.timezone or community.timezone,
    )


def row_view(row: Reachable | Attendee, community: Community) -> tuple[str, str]:
    """A member read as a row: their (language, zone), the community's where they set none."""
    return (row.language or community.default_language, row.timezone or community.timezone)


async def notify_attendees(
    uow: UnitOfWork,
    event: Event,
    kind: str,
    build: Callable[[Translator, str], Reply],
    *,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
    key_suffix: str = "",
) -> int:
    """Tell everyone who RSVP'd (privately, now, once per event revision and kind): the
    attendees read as plain rows in one statement, the notice built once per (language,
    zone)."""
    community = await uow.communities.get(event.community_id)
    if community is None:
        return 0
    wanted: list[NewMessage] = []
    built: dict[tuple[str, str], Reply] = {}
    for attendee in await uow.events.attending(event.id):
        view = row_view(attendee, community)
        reply = built.get(view)
        if reply is None:
            reply = built[view] = build(Translator(view[0]), view[1])
        key = f"{kind}:{event.id}:{event.revision}{key_suffix}:{attendee.member_id}"
        wanted.append(
            outbox.message(
                key,
                kind,
                reachable_recipient(attendee),
                reply,
                now,
                member_id=attendee.member_id,
                community_id=community.id,
                event_id=event.id,
                title=event.title,
            )
        )
    return await outbox.enqueue(uow, wanted, now=now, wake=wake)
