"""VTIMEZONE components in the conventional form calendar clients read right.

icalendar's own ``Timezone.from_tzinfo`` (icalendar 6 and 7) writes every past and future change
as one long comma-separated RDATE list. That is valid RFC 5545, but dateutil's ``tzical``, and
so vobject, keep only each component's first onset, and Thunderbird and Outlook are reported to
do the same: a weekly 10:00 Madrid session lands at 11:00 after the March change. Here each
zone is written as tzurl.org writes it: the rule in force as one STANDARD and one DAYLIGHT
component with a yearly RRULE (``BYMONTH=3;BYDAY=-1SU``), and only the earlier changes that the
calendar's events need as single onsets, one component each.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from bot.features.events.tzrules import CurrentRule, Observance, Transition, zone_rules

EPOCH_ONSET = datetime(1970, 1, 1)
"""The onset written for a zone that never changed (UTC, Etc/GMT-3)."""
RULE_LOOKAHEAD = timedelta(days=2 * 366)
"""How far past the last listed change the current rule is checked against the listed ones."""


def vtimezone(key: str, first: datetime, last: datetime) -> Timezone:
    """A VTIMEZONE for ``key`` right at every instant from ``first`` to ``last`` (UTC).

    When the zone's current rule has a conventional yearly form, it is right for every later
    instant too (an endless series); otherwise each change up to ``last`` is listed.
    """
    rules = zone_rules(key)
    current = rules.current
    yearly = _yearly_rules(current)
    history: list[Transition]
    tail: list[Transition] = []
    if yearly is not None and current is not None:
        listed_end = rules.listed[-1].at if rules.listed else first
        every = rules.transitions(max(last, listed_end, first) + RULE_LOOKAHEAD)
        start = len(every)
        while start > 0 and every[start - 1] in current.transitions(every[start - 1].at.year):
            start -= 1
        history, tail = every[:start], every[start:]
    else:
        history = rules.transitions(last)
    if tail and tail[0].at > last:
        tail = []  # the rule starts after the last event (Gaza's listed years run to 2086)
    earlier = [t for t in history if t.at <= first]
    shown = [t for t in history if first < t.at <= last]
    zone = Timezone()
    zone.add("tzid", key)
    if not (tail and tail[0].at <= first):  # say what is in force at ``first``
        if earlier:
            shown.insert(0, earlier[-1])
        else:
            zone.add_component(_component(None, rules.initial.offset, rules.initial))
    for change in shown:
        zone.add_component(_component(change.local_onset, change.before.offset, change.after))
    if tail and yearly is not None:
        for summer in (True, False):
            change = next(t for t in tail if t.after.is_dst == summer)
            onset = _component(change.local_onset, change.before.offset, change.after)
            onset.add("rrule", yearly[0] if summer else yearly[1])
            zone.add_component(onset)
    return zone


def _yearly_rules(
    current: CurrentRule | None,
) -> tuple[dict[str, object], dict[str, object]] | None:
    """The RRULEs of the summer and winter onsets, when both have a conventional form."""
    if current is None or current.starts is None or current.ends is None:
        return None
    summer, winter = current.starts.rrule(), current.ends.rrule()
    if summer is None or winter is None:
        return None
    return summer, winter


def _component(
    onset: datetime | None, offset_before: timedelta, after: Observance
) -> TimezoneStandard | TimezoneDaylight:
    """One onset: DTSTART is the wall time in the offset in force before it (RFC 5545)."""
    part = TimezoneDaylight() if after.is_dst else TimezoneStandard()
    part.add("dtstart", onset or EPOCH_ONSET)
    part.add("tzoffsetfrom", offset_before)
    part.add("tzoffsetto", after.offset)
    part.add("tzname", after.name)
    return part
