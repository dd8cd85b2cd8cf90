""" "Take it again every few months": one private invitation, N months after a finished personal
assessment (``[assessment] retake_months``), in her language, with a button to start.

Never twice: the sitting's ``nudged_at`` is set in the same transaction as the outbox row (key
``assess:retake:<member>:<sitting>``), so neither a second sweep nor a restart sends it again,
even after the sent row is pruned. Nobody is invited who has a sitting open or took it again
since (the repository query); only her latest finished personal sitting counts.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from bot.config import AssessmentConfig
from bot.core.i18n import Translator
from bot.core.messages import Button, Platform, Recipient, Reply
from bot.core.ports import Ports
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.assessment.commands import feature
from storage.repositories.assessment import RetakeDue
from storage.repositories.outbox import NewMessage

RETAKE_KIND = "assess.retake"
BATCH = 500
"""Sittings invited per sweep: a large backlog is worked through over a few sweeps."""


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the month's
    last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def invitation(language: str, zone: str, finished: datetime | None) -> Reply:
    """The invitation in her language, with her last date in her zone."""
    _ = Translator(language)
    when = _.format_date(finished, zone) if finished else ""
    return Reply(
        body=doc(
            line(bold(_.gettext("Time to take the self-assessment again?"))),
            line(
                _.gettext(
                    "You took it on {date}. Taking it again shows what has changed since, "
                    "in a picture next to your last result.",
                    date=when,
                )
            ),
        ),
        buttons=((Button(_.gettext("Take it again"), "assess start"),),),
        rtl=_.rtl,
    )


def _message(due: RetakeDue, now: datetime) -> NewMessage | None:
    """Her invitation's outbox row, or None when she has no account (nowhere to write)."""
    if due.platform is None or due.platform_user_id is None:
        return None
    reply = invitation(
        due.language or due.default_language,
        due.timezone or due.community_timezone,
        due.finished_at,
    )
    return outbox.message(
        f"assess:retake:{due.member_id}:{due.assessment_id}",
        RETAKE_KIND,
        Recipient(Platform(due.platform), due.platform_user_id, private=True),
        reply,
        now,
        member_id=due.member_id,
        community_id=due.community_id,
    )


@feature.periodic
async def invite_to_retake(ports: Ports, now: datetime) -> int:
    """Invite, once each, members whose latest personal assessment is ``retake_months`` old.

    Three statements per batch whatever its size (issue 17): the due sittings with where to
    write, their marks, one insert of the invitations."""
    months = ports.services[AssessmentConfig].retake_months
    if months <= 0:
        return 0
    async with ports.unit_of_work() as uow:
        due = await uow.assessments.due_for_retake(months_before(now, months), BATCH)
        await uow.assessments.mark_nudged([d.assessment_id for d in due], now)
        messages = [m for m in (_message(d, now) for d in due) if m is not None]
        await outbox.enqueue(uow, messages, now=now)
    return len(messages)
