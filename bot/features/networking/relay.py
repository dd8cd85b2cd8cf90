"""Messages between the members of a group, through the bot: the bridge between Telegram and
Discord (nobody else pairs people across two chat platforms).

Each relay is an outbox row signed with the sender's name (plain text: a name never pings),
keyed by the request's platform update, so a redelivered update relays once.
"""

from __future__ import annotations

from bot.core.context import CommandContext
from bot.core.errors import UserFacingError
from bot.core.i18n import Translator
from bot.core.messages import Reply
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.networking import rounds
from bot.features.profiles.lookup import private_recipient
from bot.features.profiles.service import clean_text
from storage.models import Member
from storage.models_networking import MeetRound
from storage.statuses import MeetOutcome


def _stamp(ctx: CommandContext) -> str:
    return ctx.request.update_id or ctx.now.isoformat()


def _signed(sender: Member, platform: str, text: str, reader: Member, default: str) -> Reply:
    _ = Translator(reader.language or default)
    signature = _.gettext(
        "{name} (via {platform}):", name=sender.display_name, platform=platform.capitalize()
    )
    return Reply(body=doc(line(bold(signature), " ", text)), rtl=_.rtl)


async def pass_on(ctx: CommandContext, text: str) -> list[str]:
    """Relay ``text`` to the others of the sender's current group; their names."""
    body = clean_text(text, limit=2000, what="text")
    current = await rounds.current_group(ctx.uow, None, ctx.member, ctx.now)
    if current is None or not current[1]:
        raise UserFacingError("You have no partner this round: /meet join to take part.")
    meet_round, others = current
    await _enqueue(ctx, meet_round, others, body)
    return [other.display_name for other in others]


async def answer_to_intro(ctx: CommandContext) -> list[str] | None:
    """A private message replying to the member's introduction card relays it, as ``/meet say``
    does; the names it went to. ``None``: not a reply to an introduction (another feature's).

    The card's platform id was recorded when it was sent (``record_intro``). A reply after the
    round ended is refused politely rather than relayed late to someone with a new partner."""
    reply_to = ctx.request.reply_to
    if not reply_to or not ctx.request.text.strip():
        return None
    found = await ctx.uow.meet.pairing_by_intro(ctx.member.id, reply_to)
    if found is None:
        return None
    meet_round, pairing = found
    if meet_round.ends_at <= ctx.now:
        raise UserFacingError("That round is over: I no longer pass messages on for it.")
    others = await rounds.group_of(ctx.uow, meet_round, pairing)
    if not others:
        raise UserFacingError("You have no partner this round: /meet join to take part.")
    await _enqueue(ctx, meet_round, others, clean_text(ctx.request.text, limit=2000, what="text"))
    return [other.display_name for other in others]


async def _enqueue(
    ctx: CommandContext, meet_round: MeetRound, others: list[Member], body: str
) -> None:
    rows = []
    for other in others:
        recipient = private_recipient(other)
        if recipient is None:
            continue
        reply = _signed(
            ctx.member,
            ctx.request.actor.platform.value,
            body,
            other,
            ctx.community.default_language,
        )
        rows.append(
            outbox.message(
                f"meet-say:{meet_round.id}:{ctx.member.id}:{other.id}:{_stamp(ctx)}",
                "meet.say",
                recipient,
                reply,
                ctx.now,
                member_id=other.id,
                community_id=meet_round.community_id,
            )
        )
    await outbox.enqueue(ctx.uow, rows, now=ctx.now)


async def thank(ctx: CommandContext, text: str) -> list[str]:
    """Pass a line of thanks to the others of the member's latest group."""
    body = clean_text(text, limit=500, what="text")
    history = await ctx.uow.meet.pairings_of(ctx.member.id)
    if not history:
        raise UserFacingError("You have not been paired yet.")
    meet_round, mine = history[0]
    await ctx.uow.meet.record_outcome(meet_round.id, ctx.member.id, MeetOutcome.MET, body)
    names = []
    rows = []
    for pairing in await ctx.uow.meet.pairings(meet_round.id):
        if pairing.group_number != mine.group_number or pairing.member_id == ctx.member.id:
            continue
        other = await ctx.uow.members.get(pairing.member_id)
        recipient = private_recipient(other) if other else None
        if other is None or recipient is None:
            continue
        names.append(other.display_name)
        _ = Translator(other.language or ctx.community.default_language)
        reply = Reply(
            body=doc(
                line(
                    bold(
                        _.gettext(
                            "{name} thanks you for your conversation:", name=ctx.member.display_name
                        )
                    )
                ),
                body,
            ),
            rtl=_.rtl,
        )
        rows.append(
            outbox.message(
                f"meet-thanks:{meet_round.id}:{ctx.member.id}:{other.id}",
                "meet.thanks",
                recipient,
                reply,
                ctx.now,
                member_id=other.id,
                community_id=meet_round.community_id,
            )
        )
    await outbox.enqueue(ctx.uow, rows, now=ctx.now)
    if not names:
        raise UserFacingError("You have not been paired yet.")
    return names
