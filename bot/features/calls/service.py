"""Calls for contributors: who is invited, what they read, and the outcome.

Everything sent goes through the outbox with a key per call and person (``call:<id>:invite:
m<member>``, ``call:<id>:chosen:m<member>``, ``call:<id>:thanks:m<member>``...), so a retried
update, a second sweep or a restart between the pick and the sends never sends twice: the
pick and its messages commit in one transaction, and the dispatcher sends each row once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Platform, Recipient, Reply
from bot.core.richtext import bold, doc, italic, line
from bot.core.vocab import THEMES, label
from bot.delivery import outbox
from bot.features.events.cards import when_text
from bot.features.events.reminders import sync_reminders
from bot.features.events.service import member_view
from bot.features.profiles.lookup import private_recipient, reachable_recipient
from storage.models import Community, Event, Member
from storage.models_calls import CallVolunteer, ContributorCall
from storage.repositories.outbox import NewMessage
from storage.repositories.recipients import Reachable
from storage.statuses import CallKind, ChatPurpose, MembershipRole, VolunteerStatus
from storage.unit_of_work import UnitOfWork

KIND_LABELS = {
    CallKind.SPEAKER: N_("A speaking slot in a webinar"),
    CallKind.REVIEWER: N_("Reviewers for a toolkit chapter"),
    CallKind.CASE_STUDY: N_("A case study"),
}
CALL_CHATS = (ChatPurpose.ANNOUNCEMENTS, ChatPurpose.GENERAL)
"""The community's chats a call is posted in (each chat once)."""


def volunteer_button(translator: Translator, call: ContributorCall) -> Button:
    return Button(translator.gettext("I volunteer"), f"call volunteer {call.id}")


def withdraw_button(translator: Translator, call: ContributorCall) -> Button:
    return Button(translator.gettext("Withdraw"), f"call withdraw {call.id}")


def theme_names(call: ContributorCall, translator: Translator) -> str:
    return translator.format_list(
        [translator.gettext(label(THEMES, code) or code) for code in call.themes]
    )


def call_card(
    call: ContributorCall,
    event: Event | None,
    translator: Translator,
    zone: str,
    *,
    headline: str = N_("Call for contributors: {title}"),
    buttons: bool = True,
) -> Reply:
    """The call as one reader sees it: in their language, the deadline in their zone."""
    _ = translator.gettext
    blocks: list[Any] = [
        line(bold(_(headline, title=call.title))),
        line(italic(_(KIND_LABELS[call.kind]))),
    ]
    if event is not None:
        blocks.append(
            line(
                _(
                    "Webinar: “{event}”, {when}",
                    event=event.title,
                    when=when_text(event.starts_at, zone, translator),
                )
            )
        )
    if call.details:
        blocks.append(line(call.details))
    if call.themes:
        blocks.append(line(_("Themes: {themes}", themes=theme_names(call, translator))))
    if call.seats > 1:
        blocks.append(line(translator.ngettext("{count} place", "{count} places", call.seats)))
    blocks.append(
        line(bold(_("Answer by {when}.", when=when_text(call.deadline, zone, translator))))
    )
    rows = ((volunteer_button(translator, call),),) if buttons else ()
    return Reply(body=doc(*blocks), buttons=rows, rtl=translator.rtl)


async def matching_champions(uow: UnitOfWork, call: ContributorCall) -> list[Reachable]:
    """The community's reachable champions whose expertise shares a theme with the call (all
    of them when the call names no theme), as plain rows: one statement at any size. Expertise
    and call themes are both taxonomy codes, so a call written with Spanish words reaches
    champions who chose the English label."""
    community = await uow.communities.get(call.community_id)
    if community is None:
        return []
    champions = await uow.communities.reachable_with_role(community, MembershipRole.CHAMPION)
    if not call.themes:
        return champions
    wanted = set(call.themes)
    return [m for m in champions if wanted & set(m.expertise)]


def cards_by_view(
    community: Community, build: Callable[[Translator, str], Reply]
) -> Callable[[Reachable], Reply]:
    """Each champion's card in their language and zone, built once per (language, zone)."""
    built: dict[tuple[str, str], Reply] = {}

    def card(member: Reachable) -> Reply:
        view = (
            member.language or community.default_language,
            member.timezone or community.timezone,
        )
        found = built.get(view)
        if found is None:
            found = built[view] = build(Translator(view[0]), view[1])
        return found

    return card


def call_message(
    key: str,
    kind: str,
    recipient: Recipient,
    reply: Reply,
    now: datetime,
    call: ContributorCall,
    member_id: int | None = None,
) -> NewMessage:
    return outbox.message(
        key,
        kind,
        recipient,
        reply,
        now,
        member_id=member_id,
        community_id=call.community_id,
        call_id=call.id,
        title=call.title,
    )


async def invite(
    uow: UnitOfWork,
    call: ContributorCall,
    community: Community,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> tuple[int, int]:
    """Post the call privately to matching champions and in the community's chats.
    Returns (champions invited, chats)."""
    event = await uow.events.get(call.event_id) if call.event_id else None
    wanted: list[NewMessage] = []
    people = 0
    card_for = cards_by_view(
        community, lambda translator, zone: call_card(call, event, translator, zone)
    )
    for member in await matching_champions(uow, call):
        wanted.append(
            call_message(f"call:{call.id}:invite:m{member.member_id}", "call.invite",
                         reachable_recipient(member), card_for(member), now, call, member.member_id)
        )  # fmt: skip
        people += 1
    group_view = Translator(community.default_language)
    seen: set[tuple[str, str, str | None]] = set()
    for purpose in CALL_CHATS:
        for chat in await uow.communities.chats(community, purpose):
            where = (chat.platform, chat.chat_id, chat.thread_id)
            if where in seen:
                continue
            seen.add(where)
            recipient = Recipient(Platform(chat.platform), chat.chat_id, chat.thread_id)
            card = call_card(call, event, group_view, community.timezone)
            wanted.append(
                call_message(f"call:{call.id}:chat:{chat.id}", "call.invite", recipient, card, now,
                         call)
            )  # fmt: skip
    await outbox.enqueue(uow, wanted, now=now, wake=wake)
    return people, len(seen)


def _personal(
    member: Member, community: Community, build: Callable[[Translator, str], Reply]
) -> Reply:
    translator, zone = member_view(member, community)
    return build(translator, zone)


async def tell_outcome(
    uow: UnitOfWork,
    call: ContributorCall,
    community: Community,
    answers: list[CallVolunteer],
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> int:
    """The chosen hear they were chosen; the others are thanked: once each (keyed rows)."""
    event = await uow.events.get(call.event_id) if call.event_id else None
    wanted: list[NewMessage] = []
    for answer in answers:
        if answer.status not in (VolunteerStatus.CHOSEN, VolunteerStatus.NOT_CHOSEN):
            continue
        member = await uow.members.get(answer.member_id)
        recipient = private_recipient(member, prefer=answer.platform) if member else None
        if member is None or recipient is None:
            continue
        chosen = answer.status == VolunteerStatus.CHOSEN

        def build(translator: Translator, zone: str, chosen: bool = chosen) -> Reply:
            _ = translator.gettext
            if chosen:
                blocks: list[Any] = [line(bold(_("You were chosen: “{title}”", title=call.title)))]
                if event is not None:
                    blocks.append(
                        line(
                            _(
                                "You are a speaker at “{event}”, {when}. You will get its "
                                "reminders as a speaker.",
                                event=event.title,
                                when=when_text(event.starts_at, zone, translator),
                            )
                        )
                    )
                blocks.append(line(_("Thank you! The organisers will be in touch.")))
            else:
                blocks = [
                    line(bold(_("Thank you for volunteering: “{title}”", title=call.title))),
                    line(
                        _(
                            "Others were chosen this time. Your offer counts: we will think "
                            "of you for the next call."
                        )
                    ),
                ]
            return Reply(body=doc(*blocks), rtl=translator.rtl)

        what = "chosen" if chosen else "thanks"
        wanted.append(
            call_message(f"call:{call.id}:{what}:m{member.id}", f"call.{what}", recipient,
                     _personal(member, community, build), now, call, member.id)
        )  # fmt: skip
    return await outbox.enqueue(uow, wanted, now=now, wake=wake)


async def make_speakers(
    uow: UnitOfWork,
    call: ContributorCall,
    chosen: list[int],
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> Event | None:
    """A speaking slot's chosen become the event's speakers, with speakers' reminders."""
    if call.kind != CallKind.SPEAKER or call.event_id is None:
        return None
    event = await uow.events.get(call.event_id)
    if event is None:
        return None
    event.speakers = list(dict.fromkeys([*(event.speakers or []), *chosen]))
    event.updated_at = now
    await sync_reminders(uow, event, now=now, wake=wake)
    return event


async def cancel(
    uow: UnitOfWork,
    call: ContributorCall,
    community: Community,
    reason: str | None,
    now: datetime,
    wake: Iterable[Callable[[], None]] | None = None,
) -> tuple[int, int]:
    """Call it off: remove what is not sent yet (invitations, deadline reminders, last calls),
    then tell each active volunteer once. Returns (rows removed, volunteers told).

    Who withdrew is not told: they already said they would not take part (as at pick time,
    where only active volunteers are chosen or thanked)."""
    removed = await uow.outbox.delete_pending(f"call:{call.id}:")
    wanted: list[NewMessage] = []
    for answer in await uow.calls.volunteers(call.id, VolunteerStatus.VOLUNTEERED):
        member = await uow.members.get(answer.member_id)
        recipient = private_recipient(member, prefer=answer.platform) if member else None
        if member is None or recipient is None:
            continue

        def build(translator: Translator, zone: str) -> Reply:
            _ = translator.gettext
            headline = _("The call “{title}” is cancelled.", title=call.title)
            blocks: list[Any] = [line(bold(headline))]
            if reason:
                blocks.append(line(italic(_("Reason given: {reason}", reason=reason))))
            blocks.append(
                line(_("Thank you for volunteering: we will think of you for the next call."))
            )
            return Reply(body=doc(*blocks), rtl=translator.rtl)

        wanted.append(
            call_message(f"call:{call.id}:cancelled:m{member.id}", "call.cancelled", recipient,
                     _personal(member, community, build), now, call, member.id)
        )  # fmt: skip
    told = await outbox.enqueue(uow, wanted, now=now, wake=wake)
    return len(removed), told
