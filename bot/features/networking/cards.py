"""The introduction card a member gets privately: who the other person is and how to reach them.

Everything is written for the reader: their language, their zone ("it is 16:05 for Grace now",
"you are both awake from 09:00 to 17:00, your time").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.i18n import Translator
from bot.core.messages import Platform, Reply
from bot.core.richtext import Block, BulletList, bold, bullets, doc, line
from bot.core.vocab import REGIONS, ROLES, THEMES, label


class AccountFacts(Protocol):
    """What a card uses of an account."""

    @property
    def id(self) -> int: ...
    @property
    def platform(self) -> str: ...
    @property
    def platform_user_id(self) -> str: ...
    @property
    def username(self) -> str | None: ...


class Profile(Protocol):
    """What a card shows of a member: an ORM ``Member``, or a round's plain row
    (``storage.repositories.networking.Pairable``, issue 17)."""

    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> str | None: ...
    @property
    def organisation(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def languages(self) -> Sequence[str]: ...
    @property
    def expertise(self) -> Sequence[str]: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def accounts(self) -> Sequence[AccountFacts]: ...


AWAKE_FROM = time(8, 0)
AWAKE_UNTIL = time(21, 0)


def member_zone(member: Profile, community_zone: str) -> str:
    return member.timezone or community_zone


def main_platform(member: Profile) -> str | None:
    """The platform of the member's oldest account: where the bot writes to them."""
    accounts = sorted(member.accounts, key=lambda a: a.id)
    return accounts[0].platform if accounts else None


def platform_username(member: Profile, platform: str) -> str | None:
    for account in member.accounts:
        if account.platform == platform and account.username:
            return account.username
    return None


def _awake_window(zone: str, day: datetime) -> tuple[datetime, datetime]:
    local = ZoneInfo(zone)
    start = datetime.combine(day.date(), AWAKE_FROM, local)
    return start, datetime.combine(day.date(), AWAKE_UNTIL, local)


def shared_waking_hours(
    reader_zone: str, other_zone: str, now: datetime
) -> tuple[datetime, datetime] | None:
    """Today's longest stretch when both are between 08:00 and 21:00 locally (reader's day)."""
    reader_day = now.astimezone(ZoneInfo(reader_zone))
    start, end = _awake_window(reader_zone, reader_day)
    best: tuple[datetime, datetime] | None = None
    for shift in (-1, 0, 1):
        other_day = now.astimezone(ZoneInfo(other_zone)) + timedelta(days=shift)
        other_start, other_end = _awake_window(other_zone, other_day)
        low, high = max(start, other_start), min(end, other_end)
        if low < high and (best is None or high - low > best[1] - best[0]):
            best = (low, high)
    return best


def _clock(moment: datetime, zone: str, _: Translator) -> str:
    """A time in ``zone``; the message names the zone (or says "your time")."""
    return _.format_time(moment, zone, show_zone=False)


def _day(moment: datetime, zone: str, _: Translator) -> str:
    return _.format_date(moment, zone)


def facts(other: Profile, _: Translator) -> list[str]:
    """Role, organisation, region, languages and expertise, translated for the reader."""
    found = []
    role = label(ROLES, other.role)
    if role or other.organisation:
        found.append(
            ", ".join(x for x in (_.gettext(role) if role else None, other.organisation) if x)
        )
    region = label(REGIONS, other.region)
    if region:
        found.append(_.gettext(region))
    if other.languages:
        names = _.format_list([_.language_name(code) for code in other.languages])
        found.append(_.gettext("Speaks {languages}", languages=names))
    themes = [_.gettext(label(THEMES, code) or code) for code in other.expertise]
    if themes:
        found.append(_.gettext("Expertise: {themes}", themes=_.format_list(themes)))
    return found


def starter(reader: Profile, other: Profile, _: Translator) -> str:
    """A first question drawn from the themes they share, else from the other's expertise."""
    shared = [code for code in reader.expertise if code in other.expertise]
    if shared:
        theme = _.gettext(label(THEMES, shared[0]) or shared[0])
        return _.gettext(
            "Conversation starter: you both work on {theme}. What has worked where you are?",
            theme=theme,
        )
    if other.expertise:
        theme = _.gettext(label(THEMES, other.expertise[0]) or other.expertise[0])
        return _.gettext(
            "Conversation starter: ask {name} about {theme}.", name=other.display_name, theme=theme
        )
    return _.gettext("Conversation starter: what are you each working on this month?")


def contact(
    reader: Profile,
    other: Profile,
    ends_at: datetime,
    zone: str,
    _: Translator,
    place: str | None = None,
) -> str:
    """How to reach the other: a t.me link, the private thread opened for the group (``place``:
    its title), a hint to write on Discord, or the relay."""
    mine, theirs = main_platform(reader), main_platform(other)
    name = other.display_name
    if place is not None:
        return _.gettext(
            "I am opening a private thread “{title}” on the Discord server: you and {name} are "
            "both in it. If it does not appear, send them a private message there.",
            title=place,
            name=name,
        )
    if mine == theirs == Platform.TELEGRAM.value:
        username = platform_username(other, Platform.TELEGRAM.value)
        if username:
            return _.gettext(
                "Write to {name}: https://t.me/{username}", name=name, username=username
            )
    elif mine == theirs == Platform.DISCORD.value:
        return _.gettext(
            "{name} is on the Discord server: send them a private message there.", name=name
        )
    platform = (theirs or "").capitalize()
    return _.gettext(
        "{name} is on {platform}: reply to this message, or write /meet say followed by your "
        "message, and I will pass it on until {date}.",
        name=name,
        platform=platform,
        date=_day(ends_at, zone, _),
    )


def other_block(
    reader: Profile,
    other: Profile,
    community_zone: str,
    ends_at: datetime,
    now: datetime,
    _: Translator,
    place: str | None = None,
) -> list[Block | BulletList]:
    zone = member_zone(reader, community_zone)
    other_zone = member_zone(other, community_zone)
    blocks: list[Block | BulletList] = [line(bold(other.display_name))]
    items = facts(other, _)
    items.append(
        _.gettext(
            "It is {time} for {name} now ({zone}).",
            time=_clock(now, other_zone, _),
            name=other.display_name,
            zone=other_zone,
        )
    )
    shared = shared_waking_hours(zone, other_zone, now)
    if shared:
        items.append(
            _.gettext(
                "You are both awake from {start} to {end}, your time.",
                start=_clock(shared[0], zone, _),
                end=_clock(shared[1], zone, _),
            )
        )
    else:
        items.append(_.gettext("Your waking hours do not overlap: leave each other messages."))
    items.append(starter(reader, other, _))
    items.append(contact(reader, other, ends_at, zone, _, place))
    blocks.append(bullets(items))
    return blocks


def introduction(
    reader: Profile,
    others: Sequence[Profile],
    *,
    community_zone: str,
    ends_at: datetime,
    now: datetime,
    default_language: str,
    place: str | None = None,
) -> Reply:
    """The card ``reader`` gets for their group of this round; ``place``: the title of the
    private thread opened for the group, if one is."""
    _ = Translator(reader.language or default_language)
    title = (
        _.gettext("Meet your conversation partner for this round")
        if len(others) == 1
        else _.gettext("Meet your group for this round")
    )
    zone = member_zone(reader, community_zone)
    blocks: list[Block | BulletList] = [line(bold("🤝 " + title))]
    for other in others:
        blocks.extend(other_block(reader, other, community_zone, ends_at, now, _, place))
    blocks.append(
        line(
            _.gettext(
                "The round ends on {date}. Thirty minutes is enough.", date=_day(ends_at, zone, _)
            )
        )
    )
    return Reply(body=doc(*blocks), rtl=_.rtl)


def left_out_notice(reader: Profile, default_language: str) -> Reply:
    """Nobody is dropped silently: the member hears why, and is favoured next time."""
    _ = Translator(reader.language or default_language)
    return Reply(
        body=doc(
            _.gettext(
                "No match for you this round, sorry: the people you could meet are all "
                "excluded or away. You will be first in line next round."
            )
        ),
        rtl=_.rtl,
    )


def account_on(member: Profile, platform: str) -> str | None:
    """The member's user id on ``platform``, if they have an account there."""
    for account in sorted(member.accounts, key=lambda a: a.id):
        if account.platform == platform:
            return account.platform_user_id
    return None


def place_title(members: Sequence[Profile], number: int) -> str:
    """The private thread's name: who is in it and the round (plain text, one line)."""
    names = " & ".join(" ".join(m.display_name.split()) for m in members)
    return f"🤝 {names} · {number}"


def place_welcome(
    members: Sequence[Profile], *, community_zone: str, ends_at: datetime, default_language: str
) -> Reply:
    """The first message of a group's private thread: in their language when they share one
    (else the community's), the end date in the community's zone, named."""
    spoken = {m.language or default_language for m in members}
    _ = Translator(spoken.pop() if len(spoken) == 1 else default_language)
    names = _.format_list([m.display_name for m in members])
    return Reply(
        body=doc(
            line(bold(_.gettext("Welcome, {names}!", names=names))),
            _.gettext(
                "This private thread is yours for this pairing round, until {date} "
                "({zone}): only you and the server's moderators can see it. Say hello and "
                "find a time that suits you both.",
                date=_day(ends_at, community_zone, _),
                zone=community_zone,
            ),
        ),
        rtl=_.rtl,
    )
