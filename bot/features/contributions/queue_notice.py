"""Tell the admins privately when a contribution enters the review queue, or comes back to it
after a change, with a pointer to ``/review``.

Who: the admins of the contributor's community (their role there) and the deployment's admins
(``[admins]``, admins of every community), each once, each in their own language (the
community's for a configured admin the bot has never met). Never the contributor herself.
Through the outbox, one row per admin and submission (key
``contribution-queued:<id>:<submitted at>:<platform>:<chat>``): a retried update tells nobody
twice, and a resubmission after a change is a new submission, so it is told again.
"""

from __future__ import annotations

from datetime import datetime

from bot.config import AdminsConfig
from bot.core.i18n import Translator
from bot.core.messages import Button, Platform, Recipient, Reply
from bot.core.richtext import bold, doc, line
from bot.delivery import outbox
from bot.features.profiles.lookup import private_recipient
from storage.models import Community, Member
from storage.models_contributions import Contribution
from storage.statuses import ContributionKind, MembershipRole
from storage.unit_of_work import UnitOfWork

QUEUED_KIND = "contribution.queued"


def notice(contribution: Contribution, contributor: Member, again: bool, t: Translator) -> Reply:
    """The admin's notice: what, by whom, first time or back after a change, and ``/review``."""
    if contribution.kind is ContributionKind.PRACTICE:
        what = t.gettext("Good practice #{id}", id=contribution.id)
    else:
        what = t.gettext("Shared resource #{id}", id=contribution.id)
    if again:
        headline = t.gettext(
            "{what} is back in the review queue after a change by {name}.",
            what=what,
            name=contributor.display_name,
        )
    else:
        headline = t.gettext(
            "{what} from {name} is waiting for review.", what=what, name=contributor.display_name
        )
    return Reply(
        body=doc(
            line(bold(headline)),
            line(contribution.title),
            line(t.gettext("Type /review to see the queue.")),
        ),
        buttons=((Button(t.gettext("Open the review queue"), "review"),),),
        rtl=t.rtl,
    )


async def _admins(
    uow: UnitOfWork, community: Community, configured: AdminsConfig
) -> list[tuple[Recipient, Member | None]]:
    found: list[tuple[Recipient, Member | None]] = []
    seen: set[Recipient] = set()
    for member in await uow.communities.members_with_role(community, MembershipRole.ADMIN):
        recipient = private_recipient(member)
        if recipient is not None and recipient not in seen:
            seen.add(recipient)
            found.append((recipient, member))
    for platform in Platform:
        for user_id in getattr(configured, platform.value, ()):
            known = await uow.members.by_account(platform.value, str(user_id))
            recipient = Recipient(platform, str(user_id), private=True)
            if recipient not in seen:
                seen.add(recipient)
                found.append((recipient, known))
    return found


async def tell_admins(
    uow: UnitOfWork,
    contribution: Contribution,
    contributor: Member,
    configured: AdminsConfig,
    *,
    again: bool,
    now: datetime,
) -> int:
    """Queue the notice to each admin of the contribution's community; how many were queued."""
    community = await uow.communities.get(contribution.community_id)
    if community is None:
        return 0
    stamp = (contribution.submitted_at or now).isoformat()
    rows = []
    for recipient, member in await _admins(uow, community, configured):
        if member is not None and member.id == contributor.id:
            continue
        t = Translator((member.language if member else None) or community.default_language)
        rows.append(
            outbox.message(
                f"contribution-queued:{contribution.id}:{stamp}:"
                f"{recipient.platform.value}:{recipient.chat_id}",
                QUEUED_KIND,
                recipient,
                notice(contribution, contributor, again, t),
                now,
                member_id=member.id if member else None,
                community_id=community.id,
                contribution_id=contribution.id,
            )
        )
    return await outbox.enqueue(uow, rows, now=now)
