"""Near a round's end: "Did you meet?" with three buttons, and a gentle word for missed ones.

A missed meeting never removes anyone: the member stays in the rounds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.arguments import ArgKind, ArgSpec, Choice
from bot.core.context import CommandContext
from bot.core.errors import NotFoundError
from bot.core.i18n import N_, Translator
from bot.core.messages import Button, Destination, Reply
from bot.core.richtext import doc
from bot.delivery import outbox
from bot.features.networking.commands import feature
from bot.features.profiles.lookup import private_recipient
from storage.models import Community
from storage.models_networking import MeetRound
from storage.statuses import MeetOutcome
from storage.unit_of_work import UnitOfWork

ASK_BEFORE_END = timedelta(days=2)
OUTCOMES = (
    Choice(MeetOutcome.MET, N_("Yes, we met")),
    Choice(MeetOutcome.NOT_YET, N_("Not yet")),
    Choice(MeetOutcome.NO, N_("We did not")),
)


def _question(names: str, round_id: int, _: Translator) -> Reply:
    buttons = tuple(
        Button(_.gettext(choice.label), f"meet answer {round_id} {choice.value}")
        for choice in OUTCOMES
    )
    return Reply(
        body=doc(_.gettext("Did you meet {names}?", names=names)), buttons=(buttons,), rtl=_.rtl
    )


async def ask_due(uow: UnitOfWork, now: datetime) -> int:
    """Ask every member of the rounds ending soon, once per round (keyed by round and member)."""
    statement = select(MeetRound).where(
        MeetRound.followed_up_at.is_(None), MeetRound.ends_at <= now + ASK_BEFORE_END
    )
    asked = 0
    for meet_round in (await uow.session.scalars(statement)).all():
        meet_round.followed_up_at = now
        community = await uow.session.get(Community, meet_round.community_id)
        if community is None or meet_round.ends_at < now - timedelta(days=7):
            continue
        pairings = await uow.meet.pairings(meet_round.id)
        rows = []
        for pairing in pairings:
            member = await uow.members.get(pairing.member_id)
            recipient = private_recipient(member) if member else None
            if member is None or recipient is None:
                continue
            others = [
                other
                for other in pairings
                if other.group_number == pairing.group_number and other.member_id != member.id
            ]
            names = []
            for other in others:
                found = await uow.members.get(other.member_id)
                if found is not None:
                    names.append(found.display_name)
            _ = Translator(member.language or community.default_language)
            rows.append(
                outbox.message(
                    f"meet-ask:{meet_round.id}:{member.id}",
                    "meet.ask",
                    recipient,
                    _question(_.format_list(names), meet_round.id, _),
                    now,
                    member_id=member.id,
                    community_id=community.id,
                )
            )
        asked += await outbox.enqueue(uow, rows, now=now)
    return asked


@feature.command(
    "meet",
    "answer",
    description=N_("Tell whether you met your partner"),
    args=[
        ArgSpec("round", ArgKind.INTEGER, N_("The round number")),
        ArgSpec("outcome", ArgKind.CHOICE, N_("yes, not yet or no"), choices=OUTCOMES),
    ],
    hidden=True,  # the target of the follow-up's buttons
)
async def answer(ctx: CommandContext, round: int, outcome: str) -> Reply:
    pairing = await ctx.uow.meet.record_outcome(round, ctx.member.id, MeetOutcome(outcome))
    if pairing is None:
        raise NotFoundError("You were not in that round.")
    if outcome == MeetOutcome.MET:
        text = ctx._(
            "Wonderful, thank you. To thank your partner: /meet thanks followed by a few words."
        )
    elif outcome == MeetOutcome.NOT_YET:
        text = ctx._(
            "No problem, there is still time. Half an hour is enough; /meet status shows who."
        )
    else:
        text = ctx._(
            "Thank you for telling me. You stay in the rounds; the next pairing may suit better."
        )
    return ctx.reply(text, destination=Destination.EPHEMERAL)
