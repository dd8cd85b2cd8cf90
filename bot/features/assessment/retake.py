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
from bot.core.messages import Button, Reply
from bot.core.ports import Ports
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.assessment.commands import feature
from bot.features.profiles.lookup import private_recipient
from storage.models import Community, Member
from storage.models_assessment import Assessment

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


def invitation(member: Member, sitting: Assessment, default_language: str, zone: str) -> Reply:
    """The invitation in her language, with her last date in her zone."""
    _ = Translator(member.language or default_language)
    finished = sitting.finished_at
    when = _.format_date(finished, member.timezone or zone) if finished else ""
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


@feature.periodic
async def invite_to_retake(ports: Ports, now: datetime) -> int:
    """Invite, once each, members whose latest personal assessment is ``retake_months`` old."""
    months = ports.services[AssessmentConfig].retake_months
    if months <= 0:
        return 0
    invited = 0
    async with ports.unit_of_work() as uow:
        communities: dict[int, Community | None] = {}
        for sitting in await uow.assessments.due_for_retake(months_before(now, months), BATCH):
            sitting.nudged_at = now
            member = await uow.members.get(sitting.member_id)
            if sitting.community_id not in communities:
                communities[sitting.community_id] = await uow.communities.get(sitting.community_id)
            community = communities[sitting.community_id]
            recipient = private_recipient(member) if member is not None else None
            if member is None or community is None or recipient is None:
                continue
            reply = invitation(member, sitting, community.default_language, community.timezone)
            await outbox.enqueue(
                uow,
                [
                    outbox.message(
                        f"assess:retake:{member.id}:{sitting.id}",
                        RETAKE_KIND,
                        recipient,
                        reply,
                        now,
                        member_id=member.id,
                        community_id=community.id,
                    )
                ],
                now=now,
            )
            invited += 1
    return invited
