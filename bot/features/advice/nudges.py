"""Questions nobody answered: told again to matching champions, and to the admins."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.i18n import Translator
from bot.core.messages import Button, Recipient, Reply
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.advice.cards import label_of, question_card
from bot.features.advice.service import notify_matching_champions
from bot.features.profiles.lookup import private_recipient
from storage.models import Question
from storage.statuses import MembershipRole, NoticeReason
from storage.unit_of_work import UnitOfWork


async def nudge_unanswered(
    uow: UnitOfWork,
    *,
    now: datetime,
    after: timedelta,
    daily_cap: int,
    admin_recipients: list[Recipient],
) -> list[Question]:
    """Re-announce questions unanswered for ``after`` to matching champions; tell the admins."""
    nudged = await uow.advice.unanswered_since(now - after)
    for question in nudged:
        community = await uow.communities.get(question.community_id)
        if community is None:
            continue
        await notify_matching_champions(
            uow, community, question, now=now, daily_cap=daily_cap, reason=NoticeReason.NUDGE
        )
        translator = Translator(community.default_language)
        hours = int(after.total_seconds() // 3600)
        admins = list(admin_recipients)
        for member in await uow.communities.members_with_role(community, MembershipRole.ADMIN):
            recipient = private_recipient(member)
            if recipient is not None and recipient not in admins:
                admins.append(recipient)
        reply = Reply(
            body=doc(
                line(
                    bold(
                        translator.ngettext(
                            "{id} has had no answer for {count} hour.",
                            "{id} has had no answer for {count} hours.",
                            hours,
                            id=label_of(question),
                        )
                    )
                ),
                *question_card(question, None, translator).blocks[:-1],
            ),
            buttons=((Button(translator.gettext("Show thread"), f"thread {question.id}"),),),
        )
        await outbox.enqueue(
            uow,
            [
                outbox.message(
                    f"advice:q{question.id}:admin-nudge:{a.platform.value}:{a.chat_id}",
                    "advice.admin_nudge",
                    a,
                    reply,
                    now,
                    community_id=community.id,
                )
                for a in admins
            ],
            now=now,
        )
        question.nudged_at = now
    return nudged
