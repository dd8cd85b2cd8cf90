"""Before a call's deadline: a reminder to the admin who posted it and a "last call" to the
matching champions who have not answered; at the deadline, "time to choose" to the admin.

A periodic job, idempotent by its outbox keys (``call:<id>:remind``, ``call:<id>:last:m<id>``,
``call:<id>:due``): every sweep may run it, each message goes once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.i18n import N_, Translator
from bot.core.messages import Reply
from bot.core.ports import Ports
from bot.core.richtext import bold, code, doc, line
from bot.delivery import outbox
from bot.features.calls.commands import feature
from bot.features.calls.service import (
    call_card,
    call_message,
    cards_by_view,
    matching_champions,
)
from bot.features.events.cards import when_text
from bot.features.events.service import member_view
from bot.features.profiles.lookup import private_recipient, reachable_recipient
from storage.models import Community
from storage.models_calls import ContributorCall
from storage.repositories.outbox import NewMessage
from storage.statuses import VolunteerStatus
from storage.unit_of_work import UnitOfWork

REMIND_BEFORE = timedelta(hours=24)


def _admin_note(
    call: ContributorCall, translator: Translator, zone: str, count: int, *, due: bool
) -> Reply:
    _ = translator.gettext
    if due:
        head = translator.ngettext(
            "The call “{title}” has closed: {count} volunteer.",
            "The call “{title}” has closed: {count} volunteers.",
            count,
            title=call.title,
        )
    else:
        head = translator.ngettext(
            "The call “{title}” closes {when}: {count} volunteer so far.",
            "The call “{title}” closes {when}: {count} volunteers so far.",
            count,
            title=call.title,
            when=when_text(call.deadline, zone, translator),
        )
    return Reply(
        body=doc(
            line(bold(head)),
            line(
                _("See them with "),
                code(f"/call volunteers {call.id}"),
                _(" and choose with "),
                code(f"/call pick {call.id} Name"),
            ),
        ),
        rtl=translator.rtl,
    )


async def _for_call(uow: UnitOfWork, call: ContributorCall, now: datetime) -> list[NewMessage]:
    community = await uow.communities.get(call.community_id)
    if community is None or now < call.deadline - REMIND_BEFORE:
        return []
    due = now >= call.deadline
    answers = await uow.calls.volunteers(call.id)
    active = sum(1 for a in answers if a.status == VolunteerStatus.VOLUNTEERED)
    wanted: list[NewMessage] = []
    creator = await uow.members.get(call.created_by) if call.created_by else None
    recipient = private_recipient(creator) if creator else None
    if creator is not None and recipient is not None:
        translator, zone = member_view(creator, community)
        key = f"call:{call.id}:{'due' if due else 'remind'}"
        note = _admin_note(call, translator, zone, active, due=due)
        wanted.append(call_message(key, "call.reminder", recipient, note, now, call, creator.id))
    if not due:
        wanted.extend(await _last_call(uow, call, community, {a.member_id for a in answers}, now))
    return wanted


async def _last_call(
    uow: UnitOfWork, call: ContributorCall, community: Community, answered: set[int],
    now: datetime,
) -> list[NewMessage]:  # fmt: skip
    event = await uow.events.get(call.event_id) if call.event_id else None
    wanted = []
    card = cards_by_view(
        community,
        lambda translator, zone: call_card(
            call, event, translator, zone, headline=N_("Last call: {title}")
        ),
    )
    for member in await matching_champions(uow, call):
        if member.member_id in answered:
            continue
        wanted.append(call_message(f"call:{call.id}:last:m{member.member_id}", "call.reminder",
                               reachable_recipient(member), card(member), now, call,
                               member.member_id))  # fmt: skip
    return wanted


@feature.periodic
async def call_deadlines(ports: Ports, now: datetime) -> int:
    """Queue the reminders that are due for every open call (each once, by its key)."""
    async with ports.unit_of_work() as uow:
        wanted: list[NewMessage] = []
        for call in await uow.calls.open_calls():
            wanted.extend(await _for_call(uow, call, now))
        return await outbox.enqueue(uow, wanted, now=now)
